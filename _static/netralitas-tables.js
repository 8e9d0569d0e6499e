// Long tables (more than 12 rows) become searchable, sortable and paginated in the page. The
// full static table stays in the HTML: print, the PDF and readers without JavaScript get every
// row. Served from the site (no CDN); netralitas.build.compact and tests/browser check it.
(() => {
  const MIN_ROWS = 13;
  const SIZES = [10, 25, 50, 0]; // 0: all rows
  const norm = (s) => s.toLocaleLowerCase("id").normalize("NFKD").replace(/\s+/g, " ").trim();
  const num = (s) => {
    const t = s.replace(/[\s%]/g, "");
    if (!/^[-−]?\d[\d.,]*$/.test(t)) return null;
    const v = parseFloat(t.replace("−", "-").replace(/,(?=\d{3}(\D|$))/g, ""));
    return Number.isFinite(v) ? v : null;
  };

  function enhance(table, index) {
    const body = table.tBodies[0];
    const head = table.tHead;
    if (!body || !head || body.rows.length < MIN_ROWS) return;
    const rows = Array.from(body.rows);
    // textContent, not innerText: a folded table (netralitas.build.fold) is not rendered yet
    const texts = rows.map((r) => norm(Array.from(r.cells, (c) => c.textContent).join(" ")));
    const state = { query: "", col: -1, dir: 1, page: 0, size: SIZES[0] };
    if (!table.id) table.id = `nt-table-${index}`;
    const id = table.id;

    const bar = document.createElement("div");
    bar.className = "nt-dt-bar";
    bar.innerHTML = `
      <label>Cari <input type="search" class="nt-dt-search" aria-controls="${id}"></label>
      <label>Baris per halaman <select class="nt-dt-size" aria-controls="${id}">
        ${SIZES.map((n) => `<option value="${n}">${n || "semua"}</option>`).join("")}
      </select></label>
      <span class="nt-dt-info" aria-live="polite"></span>
      <span class="nt-dt-pager">
        <button type="button" class="nt-dt-prev" aria-controls="${id}">‹ Sebelumnya</button>
        <button type="button" class="nt-dt-next" aria-controls="${id}">Berikutnya ›</button>
      </span>`;
    const box = table.parentElement.classList.contains("pst-scrollable-table-container")
      ? table.parentElement : table;
    box.before(bar);
    table.classList.add("nt-dt");
    const info = bar.querySelector(".nt-dt-info");
    const prev = bar.querySelector(".nt-dt-prev");
    const next = bar.querySelector(".nt-dt-next");

    const ths = Array.from(head.rows[head.rows.length - 1].cells);
    ths.forEach((th, i) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "nt-dt-sort";
      button.title = "Urutkan menurut kolom ini";
      button.append(...th.childNodes);
      th.append(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", () => {
        state.dir = state.col === i ? -state.dir : 1;
        state.col = i;
        state.page = 0;
        ths.forEach((h, j) => h.setAttribute("aria-sort", j !== i ? "none"
          : state.dir > 0 ? "ascending" : "descending"));
        render();
      });
    });

    function render() {
      const q = norm(state.query);
      let order = rows.map((r, i) => i).filter((i) => !q || texts[i].includes(q));
      if (state.col >= 0) {
        const key = (i) => rows[i].cells[state.col]
          ? rows[i].cells[state.col].textContent.replace(/\s+/g, " ").trim() : "";
        order.sort((a, b) => {
          const x = key(a), y = key(b), nx = num(x), ny = num(y);
          const c = nx !== null && ny !== null ? nx - ny : x.localeCompare(y, "id", { numeric: true });
          return c * state.dir || a - b;
        });
      }
      const size = state.size || order.length || 1;
      const pages = Math.max(1, Math.ceil(order.length / size));
      state.page = Math.min(state.page, pages - 1);
      const start = state.page * size;
      const shown = new Set(order.slice(start, start + size));
      order.forEach((i) => body.append(rows[i]));
      rows.forEach((r, i) => {
        if (!order.includes(i)) body.append(r);
        r.classList.toggle("nt-dt-hidden", !shown.has(i));
      });
      info.textContent = order.length
        ? `Baris ${start + 1}–${Math.min(start + size, order.length)} dari ${order.length}`
          + (order.length < rows.length ? ` (tersaring dari ${rows.length})` : "")
        : `Tidak ada baris yang cocok (dari ${rows.length})`;
      prev.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
    }

    bar.querySelector(".nt-dt-search").addEventListener("input", (e) => {
      state.query = e.target.value;
      state.page = 0;
      render();
    });
    bar.querySelector(".nt-dt-size").addEventListener("change", (e) => {
      state.size = Number(e.target.value);
      state.page = 0;
      render();
    });
    prev.addEventListener("click", () => { state.page -= 1; render(); });
    next.addEventListener("click", () => { state.page += 1; render(); });
    render();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".bd-article table.table").forEach(enhance);
  });
})();
