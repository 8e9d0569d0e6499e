// Previews in place: hovering or focusing a citation, a reference to a table, figure or chapter,
// or an evidence code shows what it points to (tippy.js + Popper, vendored in _static/vendor).
// The previews of a page are written into the page at build time (netralitas.build.previews,
// <script id="nt-previews">): nothing is fetched. On a touch screen the first tap on such a link
// shows the preview (with a hint) and the second tap on it follows the link; a tap elsewhere or
// Esc closes it. Without JavaScript the links are plain links (citations keep their title).
document.addEventListener("DOMContentLoaded", () => {
  const data = document.getElementById("nt-previews");
  if (!data || typeof window.tippy !== "function") return;
  const previews = JSON.parse(data.textContent);
  const HINT = '<p class="nt-preview-hint">Ketuk tautan sekali lagi untuk membukanya.</p>';
  let touch = null; // {link, shown}: the link under the last touch and whether it was open then

  document.querySelectorAll(".bd-article a[href]").forEach((link) => {
    const html = previews[link.getAttribute("href")];
    if (!html || link.classList.contains("headerlink")) return;
    if (link.title) { // the preview replaces the browser's own title tooltip
      link.dataset.ntTitle = link.title;
      link.removeAttribute("title");
    }
    link.classList.add("nt-preview-link");
    window.tippy(link, {
      content: html,
      allowHTML: true,
      theme: "netralitas",
      placement: "top",
      maxWidth: Math.min(440, window.innerWidth - 16),
      delay: [150, 60],
      interactive: true, // the pointer may move onto the preview to read it (WCAG 1.4.13)
      interactiveBorder: 6,
      appendTo: () => document.body,
      aria: { content: "describedby", expanded: false },
      trigger: "mouseenter focus",
      onShow(instance) {
        const tapped = touch && touch.link === link;
        instance.setContent(html + (tapped ? HINT : ""));
      },
    });
  });

  // Touch: the browser fires mouseenter/focus (which open the preview) before the click, so
  // whether the preview was already open is read at pointerdown.
  document.addEventListener("pointerdown", (e) => {
    const link = e.target.closest && e.target.closest(".nt-preview-link");
    touch = e.pointerType === "mouse" || !link ? null
      : { link, shown: Boolean(link._tippy && link._tippy.state.isVisible) };
  }, true);
  document.addEventListener("click", (e) => {
    const link = e.target.closest && e.target.closest(".nt-preview-link");
    if (!link || !touch || touch.link !== link || touch.shown || !link._tippy) return;
    e.preventDefault(); // first tap: show the preview; the next tap follows the link
    link._tippy.show();
    touch.shown = true;
  }, true);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") window.tippy.hideAll({ duration: 0 });
  });
});
