//! The application history: every file submitted for this application.

use leptos::prelude::*;

use super::relay::HistoryEntry;

#[component]
pub(crate) fn History(entries: RwSignal<Vec<HistoryEntry>>) -> impl IntoView {
    view! {
        <section class="wb-history" aria-label="Application history">
            <h3>"Application history"</h3>
            {move || {
                let list = entries.get();
                if list.is_empty() {
                    view! { <p class="wb-nothing">"Nothing has been written back for this application yet."</p> }.into_any()
                } else {
                    view! {
                        <table>
                            <thead>
                                <tr>
                                    <th scope="col">"When (UTC)"</th>
                                    <th scope="col">"Who"</th>
                                    <th scope="col">"Kind"</th>
                                    <th scope="col">"File"</th>
                                    <th scope="col">"Rows"</th>
                                    <th scope="col">"Status"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|e| view! {
                                    <tr class="wb-history-entry" data-entry-id=e.id.to_string()>
                                        <td>{e.submitted_at.clone()}</td>
                                        <td>{e.submitted_by.clone()}</td>
                                        <td>{e.kind.clone()}</td>
                                        <td><code>{e.file_name.clone()}</code></td>
                                        <td>{e.rows}</td>
                                        <td class=format!("wb-history-status st-{}", e.status)>
                                            {e.status.clone()}
                                            {e.detail.clone().map(|d| view! { <span class="wb-note">{d}</span> })}
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }
            }}
        </section>
    }
}
