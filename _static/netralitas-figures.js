// Figures at full size: every figure of a chapter becomes a link to its SVG file; with
// JavaScript, a tap or click opens it in a dialog at full size (wider than a phone screen, so it
// scrolls) and "Tutup", Esc or a tap beside the figure closes it. Served from the site.
document.addEventListener("DOMContentLoaded", () => {
  const imgs = document.querySelectorAll(".bd-article figure img");
  if (!imgs.length) return;
  const dialog = document.createElement("dialog");
  dialog.className = "nt-figure-dialog";
  dialog.setAttribute("aria-label", "Gambar ukuran penuh");
  const close = document.createElement("button");
  close.type = "button";
  close.className = "nt-figure-close";
  close.textContent = "Tutup";
  const full = document.createElement("img");
  dialog.append(close, full);
  document.body.append(dialog);
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (e) => { if (e.target === dialog) dialog.close(); });
  imgs.forEach((img) => {
    if (img.closest("a")) return;
    const link = document.createElement("a");
    link.href = img.getAttribute("src");
    link.className = "nt-figure-open";
    link.title = "Buka gambar ukuran penuh";
    img.replaceWith(link);
    link.append(img);
    link.addEventListener("click", (e) => {
      if (typeof dialog.showModal !== "function") return; // old browser: follow the link
      e.preventDefault();
      full.src = link.href;
      full.alt = img.alt;
      dialog.showModal();
    });
  });
});
