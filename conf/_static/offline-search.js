// Opened from disk (file://), the browser refuses the fetch() with which Sphinx's search reads
// each result page for a summary snippet: list the results without snippets there instead.
if (window.location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
}
