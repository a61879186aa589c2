// Misuses the types must refuse (tests/embed_types.rs expects each error).
import { mount } from "writeback-widget";
import "writeback-widget/element";
import { reviewApplication } from "writeback-widget/review";

mount(document.createElement("div"), { list: "yes" });
mount(document.createElement("div"), { drafts: "forever" });
document.createElement("writeback-review").addEventListener("submitted", (e) => e.detail.nothing);
reviewApplication({ snapshot: {}, application: {}, mappings: {}, staff: { name: "R", permissions: [] } });
