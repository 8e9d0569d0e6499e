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
  dialog.append(close);
  document.body.append(dialog);
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (e) => { if (e.target === dialog) dialog.close(); });
  // the full-size image exists only while the dialog is open (no empty <img> in the page)
  dialog.addEventListener("close", () => dialog.querySelector("img")?.remove());
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
      const full = document.createElement("img");
      full.src = link.href;
      full.alt = img.alt;
      dialog.querySelector("img")?.remove();
      dialog.append(full);
      dialog.showModal();
    });
  });
});
