// How an enrollment system's TypeScript uses the package (pkg/): checked
// against its types by tests/embed_types.rs with `tsc --strict`.
import init, { mount, type WritebackHandle, type WritebackOptions } from "writeback-widget";
import "writeback-widget/element";
import initReview, { reviewApplication, type ReviewRequest } from "writeback-widget/review";

await init();
const options: WritebackOptions = {
  relay: "https://writeback.district.org",
  getToken: async () => "a.staff.token",
  application: "APP-000042",
  drafts: "session",
  list: false,
};
const handle: WritebackHandle = mount(document.createElement("div"), options);
handle.open("APP-000043");
const shown: string | undefined = handle.application;
const mounted: boolean = handle.mounted;
handle.unmount();
console.log(shown, mounted);

const review = document.createElement("writeback-review");
review.tokenProvider = () => "a.staff.token";
review.setAttribute("application", "APP-000042");
review.addEventListener("submitted", (e) => {
  const kinds: Array<"students" | "contacts" | "schedules"> = e.detail.entries.map((x) => x.kind);
  const part: "demographics-and-contacts" | "courses" = e.detail.submission;
  console.log(e.detail.application, part, kinds);
});
review.addEventListener("changed", (e) => {
  const ready: boolean = e.detail.ready;
  const blockers: number = e.detail.blockers + e.detail.courses.blockers;
  console.log(ready, blockers, e.detail.files);
});
review.addEventListener("error", (e) => {
  const where: string | null = e.detail.application;
  console.warn(where, e.detail.during, e.detail.message);
});
const open: string | null = review.openApplication;
document.body.append(review);
console.log(open);

// The review without the UI, its own module.
await initReview();
const request: ReviewRequest = {
  snapshot: {},
  application: {},
  mappings: {},
  staff: { name: "Registrar", permissions: [] },
  today: "2026-08-01",
};
const document_: object = reviewApplication(request);
console.log(document_);
