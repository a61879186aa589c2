//! Reactive pieces compiled once per value type, not once per use. Leptos
//! takes closures as type parameters, so a `<For>`, a `Memo` or an
//! `Effect` is compiled anew for every closure given to it (a `<For>`
//! about 2.5 KB of the gzipped bundle); behind a boxed closure, uses of
//! one value type share one copy. They behave exactly as Leptos's own
//! (docs/benchmarks.md, "The production bundle's size").

use std::sync::Arc;

use leptos::prelude::*;

/// The rows `rows` gives, in order, as (key, what the row is drawn from:
/// often the key itself). Each is drawn by `row` once for its key and
/// kept, with its focus and what is typed in it, while the key stays; a
/// row whose key goes is removed, a new key's row added where it belongs.
pub(crate) fn keyed_rows(
    rows: impl Fn() -> Vec<(String, String)> + Send + Sync + 'static,
    row: impl Fn(String) -> AnyView + Send + Sync + 'static,
) -> AnyView {
    boxed_rows(Arc::new(rows), Arc::new(row))
}

/// The keys of `keys` as rows drawn from their keys.
pub(crate) fn by_key(keys: impl IntoIterator<Item = String>) -> Vec<(String, String)> {
    keys.into_iter().map(|k| (k.clone(), k)).collect()
}

/// What a keyed list's rows are: (key, what the row is drawn from).
type Rows = Arc<dyn Fn() -> Vec<(String, String)> + Send + Sync>;

/// The one `<For>` instance.
fn boxed_rows(rows: Rows, row: Arc<dyn Fn(String) -> AnyView + Send + Sync>) -> AnyView {
    view! {
        <For each=move || rows() key=|(k, _): &(String, String)| k.clone() children=move |(_, drawn_from)| row(drawn_from)/>
    }
    .into_any()
}

/// `Memo::new(compute)`: recomputed when what it reads changes, and
/// notifies its readers only when the value differs.
pub(crate) fn memo<T: PartialEq + Send + Sync + 'static>(
    compute: impl Fn(Option<&T>) -> T + Send + Sync + 'static,
) -> Memo<T> {
    boxed_memo(Box::new(compute))
}

/// What a memo computes from its previous value.
type Compute<T> = Box<dyn Fn(Option<&T>) -> T + Send + Sync>;

/// The one `Memo` instance for `T`.
fn boxed_memo<T: PartialEq + Send + Sync + 'static>(compute: Compute<T>) -> Memo<T> {
    Memo::new(compute)
}

/// `Effect::new(run)`: runs once the view is drawn, and again whenever
/// what it read changes (`ran` is `Some` after the first run).
pub(crate) fn effect(run: impl FnMut(Option<()>) + 'static) {
    boxed_effect(Box::new(run));
}

/// The one `Effect` instance.
fn boxed_effect(run: Box<dyn FnMut(Option<()>)>) {
    Effect::new(run);
}
