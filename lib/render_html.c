/* render_html.c - the self-contained page: style, sorting script, policy. */
#include "odl/render.h"

#include <string.h>

/*
 * The policy forbids every fetch (default-src 'none'): even a bug in an
 * escaper could not make the page load anything.  The style and script are
 * admitted by hash, so an injected <script> would not run either.  The
 * hashes are those of the exact texts below; tests/cli/420-render-html.sh
 * recomputes them (tests/browser/check_html.py).
 */
static const char style[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
	"color:#1a1a1a;background:#fff;margin:2rem auto;max-width:74rem;padding:0 1rem;line-height:1.45}"
	"h1{font-size:1.6rem}h2{font-size:1.3rem;border-bottom:2px solid #c8ced8;padding-bottom:.2rem;"
	"margin-top:2.5rem}h3{font-size:1.1rem;margin-top:1.8rem}"
	"table{border-collapse:collapse;margin:.5rem 0;font-size:.92rem}"
	"caption{text-align:left;font-weight:600;padding:.3rem 0}"
	"th,td{border:1px solid #c8ced8;padding:.25rem .5rem;text-align:left;vertical-align:top}"
	"thead th{background:#eef1f6}.num{text-align:right;font-variant-numeric:tabular-nums}"
	"tr.focus th,tr.focus td{background:#fde8d7;font-weight:600}"
	"th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit}"
	"th[aria-sort=ascending] button::after{content:' \\25B2'}"
	"th[aria-sort=descending] button::after{content:' \\25BC'}"
	".pair{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}"
	".pair figure{margin:0;flex:1 1 28rem;max-width:100%}.pair svg{max-width:100%;height:auto}"
	".tw{overflow-x:auto}.ok{color:#1b6e2c;font-weight:700}.ko{color:#a3261b;font-weight:700}"
	".cards{display:flex;gap:1rem;flex-wrap:wrap;padding:0;list-style:none}"
	".cards li{border:1px solid #c8ced8;border-radius:6px;padding:.6rem 1rem;min-width:9rem}"
	".cards b{display:block;font-size:1.6rem}"
	"code{font-family:ui-monospace,'DejaVu Sans Mono',monospace;background:#f1f2f4;padding:0 .2rem}"
	"a{color:#1d4f91}.note{color:#4a4a4a}"
	"@media print{body{margin:0;max-width:none}th button{pointer-events:none}"
	".pair{display:block}figure,table{break-inside:avoid}}";

static const char script[] =
	"document.documentElement.setAttribute('data-js','ready');"
	"document.querySelectorAll('table.sortable').forEach(function(t){"
	"var hs=t.querySelectorAll('thead th');"
	"hs.forEach(function(th,i){var b=th.querySelector('button');if(!b)return;"
	"b.addEventListener('click',function(){"
	"var asc=th.getAttribute('aria-sort')!=='ascending';"
	"hs.forEach(function(h){h.removeAttribute('aria-sort');});"
	"th.setAttribute('aria-sort',asc?'ascending':'descending');"
	"var tb=t.tBodies[0],rows=Array.prototype.slice.call(tb.rows);"
	"rows.sort(function(a,b){var x=a.cells[i],y=b.cells[i],"
	"p=x.getAttribute('data-v'),q=y.getAttribute('data-v'),r;"
	"if(p!==null&&q!==null)r=parseFloat(p)-parseFloat(q);"
	"else if(p!==null||q!==null)return p===null?1:-1;"
	"else r=x.textContent.localeCompare(y.textContent,'fr',{numeric:true});"
	"return asc?r:-r;});"
	"rows.forEach(function(r){tb.appendChild(r);});});});});";

#define STYLE_SHA256 "sha256-V5Rh44uO5f/YskOkOnkqVD/Z744iVlHfu0OgAr/vJCQ="
#define SCRIPT_SHA256 "sha256-2Odcr7incMhosQS0GxfvkGhnO1iYdX5AoeOj41RUDn8="

int odl_render_html_begin(FILE *f, const char *title, const char *lang)
{
	fputs("<!DOCTYPE html>\n<html lang=\"", f);
	odl_render_html_str(f, lang && strcmp(lang, "en") == 0 ? "en" : "fr");
	fputs("\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src '" STYLE_SHA256 "'; script-src '" SCRIPT_SHA256 "'; "
	      "img-src data:; base-uri 'none'; form-action 'none'\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"odl-render " ODL_VERSION "\">\n<title>", f);
	odl_render_html_str(f, title);
	fputs("</title>\n<style>", f);
	fputs(style, f);
	fputs("</style>\n</head>\n<body>\n", f);
	return ferror(f) ? ODL_EIO : ODL_OK;
}

int odl_render_html_end(FILE *f)
{
	fputs("<script>", f);
	fputs(script, f);
	fputs("</script>\n</body>\n</html>\n", f);
	return ferror(f) ? ODL_EIO : ODL_OK;
}
