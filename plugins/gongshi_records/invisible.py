"""Characters that show nothing: Unicode's Default_Ignorable_Code_Point set, the one list that
the privacy scan (privacy.py), the text.invisible rule and the 文号 normalising
(identifiers.py) all use.

They change what a text *is* without changing what it looks like: a zero-width space inside a
phone number hides it from a plain search, a bidi override makes a name read differently from
what reviewers approved ("Trojan source"), a variation selector or a tag character makes two
identical-looking names different strings.

The ranges are those of ``Default_Ignorable_Code_Point`` in Unicode's DerivedCoreProperties.txt
(https://www.unicode.org/Public/UCD/latest/ucd/DerivedCoreProperties.txt, unchanged since
Unicode 14.0 added U+180F): Python's unicodedata has no accessor for derived properties, so they
are written out here, in the file's order, each with the Chinese name a finding shows.
"""

from __future__ import annotations

# (first, last, name): the ranges of Default_Ignorable_Code_Point, inclusive.
DEFAULT_IGNORABLE: tuple[tuple[int, int, str], ...] = (
    (0x00AD, 0x00AD, "软连字符"),
    (0x034F, 0x034F, "组合用字形连接符"),
    (0x061C, 0x061C, "阿拉伯字母标记"),
    (0x115F, 0x1160, "谚文填充符"),
    (0x17B4, 0x17B5, "高棉文固有元音"),
    (0x180B, 0x180D, "蒙古文自由变体选择符"),
    (0x180E, 0x180E, "蒙古文元音分隔符"),
    (0x180F, 0x180F, "蒙古文自由变体选择符"),
    (0x200B, 0x200B, "零宽空格"),
    (0x200C, 0x200C, "零宽不连字"),
    (0x200D, 0x200D, "零宽连字"),
    (0x200E, 0x200E, "从左至右标记"),
    (0x200F, 0x200F, "从右至左标记"),
    (0x202A, 0x202A, "从左至右嵌入"),
    (0x202B, 0x202B, "从右至左嵌入"),
    (0x202C, 0x202C, "方向格式结束"),
    (0x202D, 0x202D, "从左至右覆盖"),
    (0x202E, 0x202E, "从右至左覆盖"),
    (0x2060, 0x2060, "零宽不断行空格"),
    (0x2061, 0x2061, "不可见函数符"),
    (0x2062, 0x2062, "不可见乘号"),
    (0x2063, 0x2063, "不可见分隔符"),
    (0x2064, 0x2064, "不可见加号"),
    (0x2065, 0x2065, "未分配的可忽略字符"),
    (0x2066, 0x2066, "从左至右隔离"),
    (0x2067, 0x2067, "从右至左隔离"),
    (0x2068, 0x2068, "首字符方向隔离"),
    (0x2069, 0x2069, "方向隔离结束"),
    (0x206A, 0x206F, "已废弃的格式控制符"),
    (0x3164, 0x3164, "谚文填充符"),
    (0xFE00, 0xFE0F, "变体选择符"),
    (0xFEFF, 0xFEFF, "零宽不断行空格（BOM）"),
    (0xFFA0, 0xFFA0, "半角谚文填充符"),
    (0xFFF0, 0xFFF8, "未分配的可忽略字符"),
    (0x1BCA0, 0x1BCA3, "速记格式控制符"),
    (0x1D173, 0x1D17A, "乐谱格式控制符"),
    (0xE0000, 0xE0000, "未分配的可忽略字符"),
    (0xE0001, 0xE0001, "语言标签字符"),
    (0xE0002, 0xE001F, "未分配的可忽略字符"),
    (0xE0020, 0xE007F, "标签字符"),
    (0xE0080, 0xE00FF, "未分配的可忽略字符"),
    (0xE0100, 0xE01EF, "变体选择符"),
    (0xE01F0, 0xE0FFF, "未分配的可忽略字符"),
)

# Every invisible character with its Chinese name.
INVISIBLE: dict[str, str] = {
    chr(code): name for first, last, name in DEFAULT_IGNORABLE for code in range(first, last + 1)
}

# The same set as the body of a regular-expression character class (``f"[{CLASS}]"``).
CLASS = "".join(
    f"\\U{first:08X}" if first == last else f"\\U{first:08X}-\\U{last:08X}"
    for first, last, _name in DEFAULT_IGNORABLE
)
