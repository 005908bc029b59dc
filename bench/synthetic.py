"""A synthetic province-sized portal for the search benchmark, built straight into the record
model (``gongshi_records.Record``), with a labelled set of queries and their right answers.

Names come from generated vocabularies: fictional cities and districts, shop names (字号) drawn
from characters real businesses favour (so names collide as they do in life), industries and
legal forms; people from common surnames (with compound ones) and given-name characters.
Everything is seeded: the same scale gives the same portal.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongshi_records import Corpus, Record
from gongshi_records.publication import PublicView, public_view
from gongshi_records.registry import place_of
from gongshi_search.tokens import char_class, normalise, standard_doc_nos

AS_OF = dt.date(2026, 11, 24)


def words(text: str) -> list[str]:
    return text.split()


def district(number: int) -> str:
    """The ``number``-th district name; past the list, names repeat with 新 or 东, 西 …"""
    base = DISTRICTS[number % len(DISTRICTS)]
    return base if number < len(DISTRICTS) else "新东西南北"[number // len(DISTRICTS) - 1] + base


CITIES = ["东江", "南湖", "西岭", "临江", "云阳", "安平", "清河", "泰和"]
DISTRICTS = words(
    "青溪 白沙 龙泉 金山 平湖 长乐 新塘 望海 石门 凤鸣 柳营 "
    "桃源 松岗 梅林 兰亭 竹坞 杏花 芦洲 荷塘 枫桥 柏庄 槐里 "
    "榆林 樟湾 橡山 杉坪 桂岭 菊园 莲池 苇荡 蒲塘 茅山 藕塘 "
    "葛岭 蓝田 紫阳 赤水 黄埔 翠屏 碧波"
)
AGENCY_TYPES = [  # (name, document prefix, officers' category, slug)
    ("市场监督管理局", "市监", "市场监管综合执法", "scjgj"),
    ("综合行政执法局", "综执", "城市管理综合行政执法", "zhzf"),
    ("生态环境分局", "环", "生态环境保护综合执法", "sthj"),
    ("交通运输局", "交", "交通运输综合执法", "jtys"),
    ("卫生健康局", "卫健", "卫生健康执法", "wsjk"),
]
SHOP_CHARS = (
    "鑫华泰源盛达恒通金福瑞祥丰裕隆兴昌荣嘉宏鸿运利德安康永佳美润晨旭尚品新创博远天一"
    "中诚信和益万豪宝凯欣悦锦铭科汇众合顺捷优星辉亿联晟宇航腾飞龙凤麒麟青云正阳明光"
)
INDUSTRIES = words(
    "贸易 建材 装饰工程 餐饮管理 食品 电子科技 物流 建筑工程 "
    "房地产开发 医药 汽车服务 农业发展 信息技术 商贸 酒店管理 "
    "文化传媒 机械设备 五金 服装 家具 化工 环保科技 教育咨询 "
    "广告 物业管理 水产 粮油 茶业 药房 眼镜"
)
FORMS = ["有限公司"] * 8 + ["有限责任公司", "股份有限公司"]
SHOPS = words("副食品商行 餐馆 五金店 便利店 理发店 水果店 超市 烟酒店 小吃店 药店")
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史"
)
COMPOUND = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "慕容", "令狐"]
GIVEN = (
    "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲建国志文军宇轩浩然"
    "子涵梓萱雨桐晓东海波振宇佳怡思远婉清"
)
VIOLATIONS = words(
    "经营超过保质期的食品 不按规定明码标价 发布使用绝对化用语的广告 "
    "未取得食品经营许可从事食品经营活动 经营标签不符合规定的预包装食品 "
    "销售不符合保障人身安全的国家标准的产品 "
    "利用虚假的价格手段诱骗消费者交易 运输建筑垃圾过程中沿途遗撒 "
    "擅自占用城市道路 未按规定设置户外广告设施 超标排放大气污染物 "
    "未批先建 危险废物贮存不规范 超限运输 "
    "未取得道路运输经营许可擅自从事经营 "
    "未依法取得医疗机构执业许可证擅自执业 公共场所卫生不合格 "
    "生产经营超限量使用食品添加剂的食品 用超过保质期的食品原料加工食品 "
    "未按规定公示营业执照"
)
# What the facts, basis and content of a decision say (the long texts search also reads).
ITEMS = words(
    "电热水壶 儿童玩具 酸奶 月饼 电动自行车头盔 充电宝 白酒 婴幼儿奶粉 面膜 插线板 "
    "保温杯 食用植物油 蜂蜜 口罩 燃气灶 电动车电池 饮用水 挂面 大米 酱油"
)
UNITS = ["件", "箱", "盒", "个", "瓶", "袋"]
# Street names: two characters of these (a province has thousands of streets, not fifteen).
STREET_CHARS = (
    "人民解放中山建设和平胜利文化新华光明青年湖滨江迎宾花园府前长春桥东西南北环城工业学院"
)
# (law, articles) per agency type; the last law of each is rare (cited by 2% of decisions).
LAWS = [
    [("中华人民共和国食品安全法", ["一百二十四", "一百二十五", "一百二十六"]),
     ("中华人民共和国产品质量法", ["四十九", "五十", "五十三"]),
     ("中华人民共和国价格法", ["四十二"]), ("中华人民共和国广告法", ["五十七", "五十八"]),
     ("中华人民共和国野生动物保护法", ["五十二", "五十三"])],
    [("城市市容和环境卫生管理条例", ["三十四", "三十六"]), ("城市道路管理条例", ["四十二"]),
     ("城镇排水与污水处理条例", ["五十"])],
    [("中华人民共和国大气污染防治法", ["九十九", "一百零八"]),
     ("中华人民共和国固体废物污染环境防治法", ["一百一十二"]),
     ("中华人民共和国土壤污染防治法", ["八十六"])],
    [("中华人民共和国道路运输条例", ["六十三", "七十"]), ("公路安全保护条例", ["六十六"]),
     ("危险货物道路运输安全管理办法", ["六十三"])],
    [("医疗机构管理条例", ["四十三"]), ("公共场所卫生管理条例", ["十四"]),
     ("放射诊疗管理规定", ["三十八"])],
]  # fmt: skip
LICENCES = ["食品经营许可", "户外广告设置许可", "排污许可", "道路运输经营许可", "公共场所卫生许可"]


@dataclass(frozen=True)
class Labelled:
    """A benchmark query and the records (``kind:key``) that are the right answer."""

    label: str  # what kind of query (name, partial name, …)
    text: str
    expected: frozenset[str]


def record(path: str, data: dict[str, Any]) -> Record:
    place = place_of(path)
    assert place is not None, path
    return Record(place.kind, "content/" + path, place, data, {})


class Generator:
    def __init__(
        self,
        decisions: int,
        officers: int,
        seed: int = 20261124,
        agencies: int | None = None,
        powers: int | None = None,
    ) -> None:
        """``agencies`` (five kinds per district) and ``powers`` (power items in all) default
        to what the search benchmark has always used: a district per 2,500 decisions, eight
        power items per agency."""
        self.rng = random.Random(seed)
        self.n_decisions, self.n_officers = decisions, officers
        if agencies is None:
            regions = max(2, min(len(DISTRICTS), decisions // 2500))
        else:
            regions = max(1, -(-agencies // len(AGENCY_TYPES)))
        self.regions = [(CITIES[i % len(CITIES)], district(i)) for i in range(regions)]
        self.agencies = [
            (f"r{r:02d}-{slug}", city, district, kind)
            for r, (city, district) in enumerate(self.regions)
            for kind, (_, _, _, slug) in enumerate(AGENCY_TYPES)
        ][: agencies or None]
        self.powers_per_agency = 8 if powers is None else max(1, powers // len(self.agencies))

    def corpus(self) -> Corpus:
        records = list(self._agencies()) + list(self._officers()) + list(self._powers())
        records += list(self._decisions())
        return Corpus(content_dir=Path("content"), prefix="content", records=records)

    def _agencies(self) -> Iterator[Record]:
        for key, city, district, kind in self.agencies:
            name = f"{city}市{district}区{AGENCY_TYPES[kind][0]}"
            code = f"11{self.rng.randrange(10**6):06d}MB{self.rng.randrange(10**7):07d}X"
            yield record(
                f"agencies/{key}/agency.yaml",
                {"name": name, "credit_code": code, "kind": "行政机关"},
            )

    def person(self) -> str:
        rng = self.rng
        surname = rng.choice(COMPOUND) if rng.random() < 0.03 else rng.choice(SURNAMES)
        return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))

    def _officers(self) -> Iterator[Record]:
        for n in range(self.n_officers):
            key, _, _, kind = self.agencies[n % len(self.agencies)]
            cert = f"{33 + n % 20:02d}{n:012d}"
            status = "在岗" if self.rng.random() < 0.92 else self.rng.choice(["离岗", "注销"])
            yield record(f"agencies/{key}/officers/{cert}.yaml", {
                "name": self.person(), "cert_no": cert, "category": AGENCY_TYPES[kind][2],
                "region": "", "roles": ["执法"], "valid_from": "2023-01-01",
                "valid_until": "2028-12-31", "status": status,
            })  # fmt: skip

    def _powers(self) -> Iterator[Record]:
        for key, _, _, _ in self.agencies:
            count = self.powers_per_agency
            chosen = self.rng.sample(VIOLATIONS, min(count, len(VIOLATIONS)))
            for i in range(count):
                violation = chosen[i % len(chosen)]
                how = "" if i < len(chosen) else f"（情形{i // len(chosen) + 1}）"
                code = f"{key.upper()}-CF-{i + 1:03d}"
                yield record(f"agencies/{key}/powers/{code}.yaml", {
                    "code": code, "name": f"对{violation}{how}的行政处罚", "category": "行政处罚",
                })  # fmt: skip

    def party(self, city: str, district: str) -> dict[str, Any]:
        rng = self.rng
        roll = rng.random()
        shop = rng.choice(SHOP_CHARS) + rng.choice(SHOP_CHARS)
        if roll < 0.1:
            return {"name": self.person(), "kind": "自然人"}
        code = "92" if roll < 0.25 else "91"
        credit = f"{code}{rng.randrange(10**6):06d}MA{rng.randrange(36**8):08X}"[:18]
        if roll < 0.25:
            return {"name": f"{city}市{district}区{shop}{rng.choice(SHOPS)}", "kind": "个体工商户",
                    "credit_code": credit}  # fmt: skip
        name = f"{city}市{district}区{shop}{rng.choice(INDUSTRIES)}{rng.choice(FORMS)}"
        return {"name": name, "kind": "法人及非法人组织", "credit_code": credit}

    def _decisions(self) -> Iterator[Record]:
        rng = self.rng
        numbers: dict[tuple[str, int, str], int] = {}
        start = dt.date(2024, 1, 1)
        for n in range(self.n_decisions):
            key, city, district, kind = rng.choice(self.agencies)
            decided = start + dt.timedelta(days=rng.randrange((AS_OF - start).days))
            category, letter = rng.choices([("行政处罚", "罚"), ("行政许可", "许")], [85, 15])[0]
            serial = numbers[(key, decided.year, letter)] = (
                numbers.get((key, decided.year, letter), 0) + 1
            )
            doc_no = f"{district[:-1]}{AGENCY_TYPES[kind][1]}{letter}〔{decided.year}〕{serial}号"
            party = self.party(city, district)
            data: dict[str, Any] = {"doc_no": doc_no, "category": category, "party": party,
                                    "decided_on": decided.isoformat()}  # fmt: skip
            if category == "行政处罚":
                violation = rng.choice(VIOLATIONS)
                fine = rng.choices([5000, 20000, 50000, 100000], [1, 8, 7, 4])[0]  # 5%: 3 months
                data.update(violation=violation, title=f"{party['name']}{violation}案",
                            penalty={"kinds": ["罚款"], "fine": fine},
                            **self.texts(kind, violation, fine))  # fmt: skip
            else:
                data.update(title=f"{party['name']}{rng.choice(LICENCES)}",
                            facts="申请材料齐全，符合法定形式，准予许可。")  # fmt: skip
            if rng.random() < 0.01:
                data["withdrawal"] = {"cause": "撤销", "occurred_on": AS_OF.isoformat(),
                                      "reason": "复议撤销"}  # fmt: skip
            yield record(f"agencies/{key}/decisions/{decided.year}/d{n}.yaml", data)

    def texts(self, kind: int, violation: str, fine: int) -> dict[str, str]:
        """Facts naming a product and a place, the legal basis and the decision's content."""
        rng = self.rng
        brand = rng.choice(SHOP_CHARS) + rng.choice(SHOP_CHARS)
        product = f"{brand}牌{rng.choice(ITEMS)}"
        place = f"{rng.choice(STREET_CHARS)}{rng.choice(STREET_CHARS)}路{rng.randrange(1, 400)}号"
        laws = LAWS[kind]
        law, articles = laws[-1] if rng.random() < 0.02 else rng.choice(laws[:-1])
        article = rng.choice(articles)
        return {
            "facts": f"经查，当事人在{place}经营场所{violation}，现场查获{product}"
            f"{rng.randrange(2, 200)}{rng.choice(UNITS)}，违法所得{fine // 10}元。",
            "basis": f"《{law}》第{article}条",
            "content": f"依据《{law}》第{article}条的规定，决定给予当事人罚款{fine}元的行政处罚。",
        }


def squeeze(text: str) -> str:
    """Normalised, every run of separators one space: how relevance compares strings."""
    return " ".join("".join(c if char_class(c) else " " for c in normalise(text)).split())


class Truth:
    """Which public records a query should find: its text inside an identifying field."""

    def __init__(self, corpus: Corpus, view: PublicView) -> None:
        self.fields: list[tuple[str, list[str], list[str]]] = []  # (id, fields, person names)
        for r in corpus.records:
            if r.kind == "agency":
                self._add(f"agency:{r.key}", [r.get("name"), r.get("credit_code")])
            elif r.kind == "officer":
                self._add(f"officer:{r.key}", [r.get("name"), r.key], [r.get("name")])
            elif r.kind == "power":
                self._add(f"power:{r.key}", [r.get("name"), r.get("code")])
        for d in view.published:
            natural = d.record.get("party", "kind") == "自然人"
            fields = [d.record.get("doc_no"), d.party_name, d.record.get("title"),
                      d.record.get("party", "credit_code"), d.record.get("facts"),
                      d.record.get("basis"), d.record.get("content")]  # fmt: skip
            self._add(f"decision:{d.record.key}", fields, [d.party_name] if natural else [])
        for d in view.withdrawn:
            self._add(f"withdrawal:{d.record.key}", [d.record.get("doc_no")])

    def _add(self, ident: str, fields: list[Any], names: list[Any] | None = None) -> None:
        self.fields.append(
            (ident, [squeeze(str(f)) for f in fields if f], [str(n) for n in names or []])
        )

    def substring(self, text: str) -> frozenset[str]:
        needle = squeeze(standard_doc_nos(normalise(text)))
        return frozenset(i for i, fields, _ in self.fields if any(needle in f for f in fields))

    def surname(self, char: str) -> frozenset[str]:
        return frozenset(i for i, _, names in self.fields if any(n.startswith(char) for n in names))


def labelled_queries(corpus: Corpus, view: PublicView, seed: int = 7) -> list[Labelled]:
    """At least 30 queries of every kind the public types, with their right answers."""
    rng = random.Random(seed)
    truth = Truth(corpus, view)
    officers = corpus.of("officer")
    published = [d for d in view.published if d.record.get("party", "kind") != "自然人"]
    queries: list[Labelled] = []

    def add(label: str, text: str, expected: Callable[[str], frozenset[str]] | None = None) -> None:
        queries.append(Labelled(label, text, (expected or truth.substring)(text)))

    for o in rng.sample(officers, 6):
        add("officer name", str(o.get("name")))
    three = [o for o in officers if len(str(o.get("name"))) == 3]
    for o in rng.sample(three, 4):
        add("partial name", str(o.get("name"))[1:])
    for char in ("欧", "诸", rng.choice(SURNAMES[40:])):
        add("surname", char, truth.surname)
    for o in rng.sample(officers, 4):
        add("certificate", o.key)
    for d in rng.sample(published, 5):
        add("company name", d.party_name)
    for d in rng.sample(published, 5):
        name = d.party_name
        start = name.index("区") + 1
        add("partial company", name[start : start + rng.choice((4, 5, 6))])
    brackets = ["〔{}〕", "[{}]", "({})", "【{}】", "（{}）"]
    for d, shape in zip(rng.sample(view.published, 5), brackets, strict=True):
        prefix, rest = str(d.record.get("doc_no")).split("〔")
        year, serial = rest.split("〕")
        add("document number", prefix + shape.format(year) + serial)
    for d in rng.sample(published, 2):
        add("credit code", str(d.record.get("party", "credit_code")))
    recall_queries(add, rng, truth, officers, view)
    add_hidden(add, view, corpus)
    return queries


def recall_queries(
    add: Callable[[str, str], None],
    rng: random.Random,
    truth: Truth,
    officers: list[Record],
    view: PublicView,
) -> None:
    """What issue 12 asked search to find: words of the long texts, 文号 as people type them,
    fragments of certificate numbers and credit codes. Text queries are drawn from sampled
    decisions, keeping those a reader could use (not a boilerplate word: a law cited by a few
    hundred decisions, a place or product by at most 40)."""
    penalties = [d for d in view.published if d.record.get("facts") and d.record.get("basis")]
    picks = {"facts word": 0, "legal basis": 0, "product in facts": 0}
    chosen: set[str] = set()  # two decisions citing the same law give one query, not two
    for d in rng.sample(penalties, min(len(penalties), 400)):
        facts, basis = str(d.record.get("facts")), str(d.record.get("basis"))
        texts = {
            "facts word": facts[facts.index("在") + 1 : facts.index("号") + 1],
            "legal basis": basis[1 : basis.index("》")].replace("中华人民共和国", ""),
            "product in facts": product_of(facts),
        }  # fmt: skip
        for label, text in texts.items():
            if text in chosen or picks[label] == 2:
                continue
            if 0 < len(truth.substring(text)) <= LIMITS[label]:
                picks[label] += 1
                chosen.add(text)
                add(label, text)
    doc_nos = [str(d.record.get("doc_no")) for d in rng.sample(view.published, 3)]
    shapes = [("document number 第", "〔{}〕第{}号"), ("document number 0", "〔{}〕0{}号"),
              ("document number full-width", "【{}】 第 {} 号")]  # fmt: skip
    for doc_no, (label, shape) in zip(doc_nos, shapes, strict=True):
        prefix, rest = doc_no.split("〔")
        year, serial = rest.rstrip("号").split("〕")
        typed = prefix + shape.format(year, serial)
        add(label, typed if "full" not in label else typed.translate(FULL_WIDTH))
    for o in rng.sample(officers, 2):
        add("certificate fragment", o.key[-6:])
    with_code = [d for d in view.published if d.record.get("party", "credit_code")]
    for d in rng.sample(with_code, 2):
        add("credit code fragment", str(d.record.get("party", "credit_code"))[5:13])


LIMITS = {"facts word": 40, "legal basis": 500, "product in facts": 40}


def product_of(facts: str) -> str:
    """The product the facts name: between 查获 and its quantity."""
    seized = facts[facts.index("查获") + 2 :].split("，")[0]
    return seized.rstrip("0123456789" + "".join(UNITS))


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def add_hidden(add: Callable[[str, str], None], view: PublicView, corpus: Corpus) -> None:
    """Withdrawn and expired parties: the right answer is whatever else carries the name."""
    withdrawn = [d for d in view.withdrawn if d.record.get("party", "kind") != "自然人"]
    for d in withdrawn[:2]:
        add("withdrawn party", str(d.record.get("party", "name")))
    shown = {d.record.key for d in view.published} | {d.record.key for d in view.withdrawn}
    expired = [
        r for r in corpus.of("decision")
        if r.key not in shown and r.get("party", "kind") != "自然人"
    ]  # fmt: skip
    for r in expired[:2]:
        add("expired party", str(r.get("party", "name")))


def build(scale: int) -> tuple[Corpus, PublicView]:
    generator = Generator(decisions=scale, officers=max(100, scale // 10))
    corpus = generator.corpus()
    return corpus, public_view(corpus, AS_OF)
