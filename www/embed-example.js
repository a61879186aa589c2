// The example host page's script: what an enrollment system's application
// page does to embed the writeback widget (docs/embedding.md).
//
// Query parameters, so the same page runs against any relay:
//   relay      the relay's address (default: this page's origin)
//   application the application this page is about
//   token-url  the enrollment system's token endpoint (default
//              /staff/writeback-token; the demo relay's is /demo/token)
const params = new URLSearchParams(location.search);
const relay = (params.get("relay") ?? location.origin).replace(/\/$/, "");
const tokenUrl = params.get("token-url") ?? "/staff/writeback-token";
let application = params.get("application") ?? "";

// A real page loads it with <script type="module" src="https://writeback.district.org/pkg/writeback-element.js">.
await import(`${relay}/pkg/writeback-element.js`);

// The enrollment system's own server signs the staff token for its
// signed-in session; the widget asks for a fresh one when it needs one.
async function writebackToken() {
  const res = await fetch(tokenUrl, { credentials: "same-origin", cache: "no-store" });
  if (!res.ok) throw new Error(`the token endpoint answered HTTP ${res.status}`);
  return res.text();
}

const slot = document.getElementById("host-slot");
const log = document.getElementById("host-log");
const status = document.getElementById("host-status");
const title = document.getElementById("host-application");
const toggle = document.getElementById("host-toggle");

function note(event, text) {
  const li = document.createElement("li");
  li.dataset.event = event;
  li.textContent = `${event}: ${text}`;
  log.append(li);
}

function widget() {
  const el = document.createElement("writeback-review");
  el.setAttribute("relay", relay);
  el.setAttribute("list", "off");
  el.setAttribute("drafts", "session");
  if (application) el.setAttribute("application", application);
  el.tokenProvider = writebackToken;
  el.addEventListener("submitted", (e) => {
    const kinds = e.detail.entries.map((x) => x.kind).join(", ");
    status.textContent = `Written back to PowerSchool: ${kinds} (application ${e.detail.application}).`;
    note("submitted", `${e.detail.application} ${e.detail.submission}: ${kinds}`);
  });
  el.addEventListener("changed", (e) => {
    const d = e.detail;
    note("changed", `${d.application} ${d.ready ? "ready" : `${d.blockers} blocker(s)`}; files: ${d.files.join(", ") || "none"}`);
  });
  el.addEventListener("error", (e) => {
    note("error", `${e.detail.application ?? "-"} while ${e.detail.during}: ${e.detail.message}`);
  });
  return el;
}

function show(id) {
  application = id;
  title.textContent = id;
  document.getElementById("host-go-to").value = id;
}

document.getElementById("host-go").addEventListener("submit", (e) => {
  e.preventDefault();
  show(new FormData(e.target).get("application").trim());
  slot.querySelector("writeback-review")?.setAttribute("application", application);
  status.textContent = "";
});

toggle.addEventListener("click", () => {
  const open = slot.querySelector("writeback-review");
  if (open) {
    open.remove();
    toggle.textContent = "Open writeback";
  } else {
    slot.append(widget());
    toggle.textContent = "Close writeback";
  }
});

show(application);
slot.append(widget());
