/** The console's stylesheet, served from `<base>/assets/admin.css` (the CSP allows no inline style). */
export const ADMIN_CSS = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --line: #d8dde6; --accent: #1d4ed8; --bad: #b42318; --good: #067647; --warn: #b54708; --paper: #ffffff; --tint: #f4f6fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--tint); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: var(--paper); padding: .5rem 1rem; }
.skip:focus { left: .5rem; z-index: 10; }
header { display: flex; align-items: center; gap: 2rem; background: #111827; color: #fff; padding: 0 1.5rem; }
header .brand { font-weight: 700; letter-spacing: .02em; padding: .9rem 0; }
header nav ul { display: flex; flex-wrap: wrap; gap: .25rem; list-style: none; margin: 0; padding: 0; }
header nav a { display: block; color: #d1d5db; text-decoration: none; padding: .9rem .75rem; border-bottom: 3px solid transparent; }
header nav a:hover { color: #fff; }
header nav a[aria-current="page"] { color: #fff; border-bottom-color: #60a5fa; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
main:focus { outline: none; }
h1 { font-size: 1.6rem; margin: 0 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.75rem 0 .75rem; }
section, .card { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin: 1rem 0; }
section > h2:first-child { margin-top: 0; }
form.settings { max-width: 44rem; }
.field { margin: 0 0 1rem; }
.field label, .field legend { display: block; font-weight: 600; margin-bottom: .2rem; }
.field .hint { color: var(--muted); font-size: .9rem; margin: 0 0 .35rem; }
.field input[type=text], .field input[type=number], .field input[type=password], .field input[type=email], .field input[type=date], .field select, .field textarea { width: 100%; max-width: 34rem; padding: .45rem .55rem; border: 1px solid #9aa3b2; border-radius: 5px; font: inherit; background: #fff; }
.field textarea { min-height: 6rem; font-family: ui-monospace, monospace; font-size: .85rem; }
.field.checkbox label { display: inline; font-weight: 600; margin-left: .35rem; }
.field [aria-invalid="true"] { border-color: var(--bad); border-width: 2px; }
.field .error { color: var(--bad); font-weight: 600; margin: .3rem 0 0; }
fieldset { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: 0 0 1rem; }
fieldset .field { margin-bottom: .75rem; }
.row { display: flex; flex-wrap: wrap; gap: .75rem 1.25rem; align-items: flex-end; }
.row .field { margin: 0; }
button, .button { display: inline-block; font: inherit; font-weight: 600; padding: .45rem 1rem; border-radius: 5px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; }
button.secondary, .button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
.notice { border-radius: 6px; padding: .75rem 1rem; margin: 0 0 1rem; border: 1px solid; }
.notice.ok { background: #ecfdf3; border-color: #75e0a7; }
.notice.bad { background: #fef3f2; border-color: #fda29b; }
.notice.info { background: #eff8ff; border-color: #84caff; }
.notice ul { margin: .25rem 0 0; }
table { border-collapse: collapse; width: 100%; background: var(--paper); }
caption { text-align: left; font-weight: 600; padding: .5rem 0; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--tint); font-size: .85rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
td.num, th.num { text-align: right; }
.status { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .8rem; font-weight: 700; background: #eef2f6; }
.status.sent, .status.exported { background: #dcfae6; color: var(--good); }
.status.failed, .status.blocked { background: #fee4e2; color: var(--bad); }
.status.queued, .status.deferred, .status.sending { background: #fef0c7; color: var(--warn); }
.counts { display: flex; flex-wrap: wrap; gap: .5rem; list-style: none; padding: 0; margin: 0 0 1rem; }
.counts a, .counts span { display: block; padding: .4rem .75rem; border: 1px solid var(--line); border-radius: 6px; background: var(--paper); text-decoration: none; color: var(--ink); }
.counts strong { display: block; font-size: 1.25rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1.25rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
pre { background: #0f172a; color: #e2e8f0; padding: .75rem 1rem; border-radius: 6px; overflow: auto; font-size: .85rem; white-space: pre-wrap; }
iframe.preview { width: 100%; min-height: 8rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.muted { color: var(--muted); }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; margin: 1rem 0; }
.actions form { margin: 0; }
`;
