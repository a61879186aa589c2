// Types of <writeback-review> (writeback-element.js). The options and the
// events' details are in writeback.d.ts, which wasm-bindgen writes.
import type { WritebackEventMap } from "./writeback.js";

export type {
  WritebackChangedDetail,
  WritebackErrorDetail,
  WritebackEventMap,
  WritebackOptions,
  WritebackSubmittedDetail,
} from "./writeback.js";

export declare class WritebackReview extends HTMLElement {
  static readonly observedAttributes: string[];
  /** Returns a fresh staff token (or a Promise of one); set it before the
   *  element is connected, in place of the token-provider attribute. */
  tokenProvider?: () => string | Promise<string>;
  /** The application shown, or null before the widget has mounted. */
  readonly openApplication: string | null;
  addEventListener<K extends keyof WritebackEventMap>(
    type: K,
    listener: (this: WritebackReview, ev: WritebackEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "writeback-review": WritebackReview;
  }
}
