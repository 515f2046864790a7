// Evaluated in each page after "load" by test_pages.py: waits (bounded) for fonts, images and
// two frames, then reports what is wrong with the page and which equation numbers it shows.
async (timeoutMs) => {
  const bounded = (promise, what) => Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error("timed out: " + what)), timeoutMs)),
  ]);
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  for (const img of document.images) { img.loading = "eager"; }
  await bounded(document.fonts.ready, "fonts");
  await bounded(Promise.all([...document.images].map((img) => img.complete ? null :
    new Promise((done) => { img.addEventListener("load", done); img.addEventListener("error", done); }))), "images");
  await bounded(new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))), "frames");
  const renderedMs = performance.now();

  const problems = [];
  const maths = [...document.querySelectorAll("span.math, div.math")];
  let glyphs = 0;
  for (const math of maths) {
    const svg = math.querySelector("svg");
    const where = (math.id || math.textContent || "").trim().slice(0, 60);
    if (!svg) { problems.push("math without svg: " + where); continue; }
    const label = svg.getAttribute("aria-label") || "";
    if (svg.getAttribute("role") !== "img" || !label.trim()) problems.push("svg without role=img and aria-label: " + where);
    const box = svg.getBoundingClientRect();
    const shown = math.getClientRects().length > 0;
    if (shown && !(box.width > 0 && box.height > 0)) problems.push("svg of zero size: " + label.slice(0, 60));
    // glyphs are <path>s (the renderer inlines MathJax's <use> references); any <use> left
    // must resolve inside its own svg
    for (const use of svg.querySelectorAll("use")) {
      const href = use.getAttribute("href") || use.getAttributeNS("http://www.w3.org/1999/xlink", "href") || "";
      const target = href.startsWith("#") ? document.getElementById(href.slice(1)) : null;
      if (!target || !svg.contains(target)) problems.push("glyph " + href + " does not resolve in its svg: " + label.slice(0, 60));
    }
    for (const glyph of svg.querySelectorAll("path, use")) {
      if (glyph.tagName === "path" && !(glyph.getAttribute("d") || "").trim()) continue;  // a space
      glyphs += 1;
      if (!shown) continue;
      const b = glyph.getBBox();
      if (!(b.width > 0 || b.height > 0)) problems.push("a glyph draws nothing: " + label.slice(0, 60));
    }
  }
  if (document.querySelector("mjx-container, mjx-merror, [data-mjx-error], .MathJax, merror")) problems.push("MathJax markup or error");
  if (typeof window.MathJax !== "undefined") problems.push("window.MathJax is defined");
  if ([...document.scripts].some((s) => /mathjax/i.test(s.src))) problems.push("a MathJax script");

  const skip = "pre, code, kbd, samp, script, style, noscript, textarea, svg, .highlight";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const tex = /\\(frac|begin|end|partial|sum|mathbf|boldsymbol|tag|left|right|cdot|top|times|displaystyle|sqrt|delta)\b|\$\$|\\\(|\\\[/;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement && node.parentElement.closest(skip)) continue;
    const m = node.textContent.match(tex);
    if (m) problems.push("raw TeX in the text: …" + node.textContent.slice(Math.max(0, m.index - 30), m.index + 30) + "…");
  }

  for (const img of document.images) {
    if (!(img.complete && img.naturalWidth > 0)) problems.push("broken image: " + img.getAttribute("src"));
    if (!(img.getAttribute("alt") || "").trim()) problems.push("image without alt text: " + img.getAttribute("src"));
  }

  const cells = document.querySelectorAll("div.cell");
  const outputs = document.querySelectorAll(".cell_output");
  if (cells.length && !outputs.length) problems.push("code cells but no outputs");
  for (const cell of cells) {
    if (cell.classList.contains("tag_raises-exception")) continue;
    if (cell.querySelector(".output.traceback, .output.error")) problems.push("a cell fails: " + cell.textContent.trim().slice(0, 80));
    if (cell.querySelector(".output.stderr")) problems.push("a cell writes to stderr: " + cell.textContent.trim().slice(0, 80));
  }

  const numbers = {};
  for (const div of document.querySelectorAll("div.math[id^='equation-']")) {
    const eqno = div.querySelector(".eqno");
    if (!eqno) continue;
    const own = [...eqno.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join("").trim();
    const visible = eqno.getClientRects().length > 0;
    numbers[div.id.slice("equation-".length)] = visible ? own : "(hidden) " + own;
  }
  return {renderedMs, problems, maths: maths.length, glyphs, cells: cells.length, outputs: outputs.length, numbers};
}
