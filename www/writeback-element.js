// <writeback-review>: the writeback widget as a custom element, for the
// enrollment system's page. Part of pkg/ (`cargo xtask pkg`); the relay
// serves it at /pkg/writeback-element.js.
//
//   <script type="module" src="https://writeback.district.org/pkg/writeback-element.js"></script>
//   <writeback-review relay="https://writeback.district.org" application="APP-000042"
//                     token-provider="enrollment.writebackToken" list="off"></writeback-review>
//
// Attributes: relay, application (changing it opens another application),
// drafts (local | session | off), list (on | off), token (a first token),
// token-provider (the name of a global function returning a token or a
// Promise of one). The `tokenProvider` property (a function) may be set in
// place of token-provider, before the element is connected. Events on the
// element: submitted, changed, error (writeback.d.ts has their details).
// The widget mounts when the element is connected and unmounts when it is
// removed; staff's decisions stay in their draft either way.
import init, { mount } from "./writeback.js";

let loading = null;
function loadWidget() {
  loading ??= init({ module_or_path: new URL("writeback_bg.wasm", import.meta.url) });
  return loading;
}

// The widget's stylesheet, added to the page once (the widget renders in
// the page's own DOM, so a host's styles may adjust it).
function addStylesheet() {
  if (document.querySelector("link[data-writeback-styles]")) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = new URL("writeback.css", import.meta.url).href;
  link.dataset.writebackStyles = "";
  document.head.append(link);
}

// The global function at a dotted path ("enrollment.writebackToken").
function globalFunction(path) {
  let value = window;
  for (const part of path.split(".")) {
    value = value == null ? undefined : value[part];
  }
  return typeof value === "function" ? value : undefined;
}

export class WritebackReview extends HTMLElement {
  static observedAttributes = ["application"];
  #handle = null;
  #connection = null;

  connectedCallback() {
    const connection = {};
    this.#connection = connection;
    addStylesheet();
    loadWidget().then(
      () => {
        // Removed (or removed and added again) while the widget loaded.
        if (this.#connection !== connection) return;
        try {
          const options = this.#options();
          this.replaceChildren();
          this.#handle = mount(this, options);
        } catch (e) {
          this.#fail("starting the widget", e);
        }
      },
      (e) => this.#fail("loading the widget", e),
    );
  }

  disconnectedCallback() {
    this.#connection = null;
    if (this.#handle) {
      this.#handle.unmount();
      this.#handle.free();
      this.#handle = null;
    }
  }

  attributeChangedCallback(name, before, now) {
    if (name === "application" && this.#handle && before !== now) {
      this.#handle.open(now || undefined);
    }
  }

  /** The application shown, or null before the widget has mounted. */
  get openApplication() {
    return this.#handle ? this.#handle.application ?? null : null;
  }

  #options() {
    const named = this.getAttribute("token-provider");
    let getToken = this.tokenProvider;
    if (!getToken && named) {
      getToken = globalFunction(named);
      if (!getToken) throw new Error(`token-provider="${named}" names no function of the page`);
    }
    const list = this.getAttribute("list") ?? "on";
    if (list !== "on" && list !== "off") throw new Error(`list="${list}": it is on or off`);
    return {
      relay: this.getAttribute("relay") ?? "",
      token: this.getAttribute("token") || undefined,
      getToken,
      application: this.getAttribute("application") || undefined,
      drafts: this.getAttribute("drafts") || undefined,
      list: list === "on",
    };
  }

  #fail(during, e) {
    const message = e && e.message ? e.message : String(e);
    this.textContent = `The writeback widget cannot start: ${message}`;
    this.setAttribute("role", "alert");
    const application = this.getAttribute("application") || null;
    this.dispatchEvent(new CustomEvent("error", { detail: { application, during, message } }));
  }
}

if (!customElements.get("writeback-review")) {
  customElements.define("writeback-review", WritebackReview);
}
