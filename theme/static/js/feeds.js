/* 订阅更新 (feeds/index.html): the full address of each feed on the site the reader is on, and
   a copy button where the browser allows it. Without JavaScript the page says how to copy the
   link's address by hand; nothing else depends on this file. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var links = document.querySelectorAll("a[data-feed]");
    Array.prototype.forEach.call(links, function (link) {
      var ident = link.getAttribute("data-feed");
      var address = document.getElementById(ident + "-address");
      if (!address) { return; }
      // A preview or a mirror has no configured address: the link, resolved by the browser
      // against this page, is the feed's address here.
      if (address.hasAttribute("data-feed-address")) { address.textContent = link.href; }
      var button = document.querySelector('button[data-copy="' + ident + '-address"]');
      if (!button || !navigator.clipboard || !window.isSecureContext) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(address.textContent).then(function () {
          button.textContent = "已复制";
        }, function () {
          button.textContent = "无法复制，请手动复制";
        });
      });
    });
  });
}());
