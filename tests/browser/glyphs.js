// Evaluated in a page by test_japanese.py: which characters of the page would be drawn as the
// missing-glyph box ("tofu")? Each character is drawn on a canvas in the font of the element that
// holds it; so is a code point that no font has (U+0378, unassigned, and U+E0FFF), which draws as
// the box. A character whose pixels equal the box's has no glyph in any font on the machine.
async () => {
  await document.fonts.ready;
  const size = 48;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = size * 2;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const draw = (font, text) => {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.font = font;
    ctx.fillText(text, size / 2, size * 1.5);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const alpha = new Uint8Array(data.length / 4);
    for (let i = 0; i < alpha.length; i++) alpha[i] = data[4 * i + 3];
    return alpha;
  };
  const same = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
  const blank = (a) => a.every((v) => v === 0);
  const noGlyph = ["\u0378", "\u{E0FFF}"];

  const skip = /[\s\p{M}\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
  const byFont = new Map();  // font -> Map(char -> text around its first use)
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || element.closest("script, style, noscript, svg, template")) continue;
    const style = getComputedStyle(element);
    const font = `${style.fontStyle} ${style.fontWeight} ${size}px ${style.fontFamily}`;
    if (!byFont.has(font)) byFont.set(font, new Map());
    const chars = byFont.get(font);
    const text = node.textContent;
    for (const char of text) {
      if (skip.test(char) || chars.has(char)) continue;
      const at = text.indexOf(char);
      chars.set(char, text.slice(Math.max(0, at - 15), at + 15).replace(/\s+/g, " ").trim());
    }
  }

  const missing = [];
  let checked = 0;
  for (const [font, chars] of byFont) {
    const boxes = noGlyph.map((c) => draw(font, c)).filter((box) => !blank(box));
    if (!boxes.length) { missing.push({ char: "", font, context: "no missing-glyph box to compare with" }); continue; }
    for (const [char, context] of chars) {
      checked += 1;
      const image = draw(font, char);
      if (boxes.some((box) => same(box, image))) {
        const code = "U+" + char.codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
        missing.push({ char, code, font, context });
      }
    }
  }
  return { checked, fonts: byFont.size, missing };
}
