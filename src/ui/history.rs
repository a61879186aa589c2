//! The application history: every file submitted for this application, and
//! every course writeback (with the courses written and denied, and when
//! AutoComm is expected to import its file).

use leptos::prelude::*;

use crate::wire::{HistoryEntry, Status};

fn list(courses: &[String]) -> String {
    if courses.is_empty() {
        "none".to_string()
    } else {
        courses.join(", ")
    }
}

/// For an entry in its target's file: the run it is in the file for.
fn staged_for(e: &HistoryEntry) -> Option<String> {
    let run = e.expected_pickup.as_ref().filter(|_| e.status == Status::Staged)?;
    Some(format!("In the import file for the run of {run} (district time)"))
}

/// The course writeback part of an entry.
#[component]
fn CourseDetails(e: HistoryEntry) -> impl IntoView {
    let is_courses = e.courses_written.is_some() || e.courses_denied.is_some();
    if !is_courses {
        return view! { <span class="wb-nothing">"–"</span> }.into_any();
    }
    let pickup = match (&e.file_name, &e.expected_pickup) {
        (None, _) => "No file: nothing for AutoComm to import".to_string(),
        (Some(_), Some(p)) => format!("Expected AutoComm pickup: {p} (district time)"),
        (Some(_), None) => "Expected AutoComm pickup: unknown (no AutoComm schedule set)".to_string(),
    };
    view! {
        <span class="wb-history-written">{format!("Courses written: {}", list(e.courses_written.as_deref().unwrap_or_default()))}</span>
        <span class="wb-history-denied">{format!("Courses denied: {}", list(e.courses_denied.as_deref().unwrap_or_default()))}</span>
        <span class="wb-history-pickup">{pickup}</span>
    }
    .into_any()
}

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
                        // Scrolls on its own when narrower than the table, not the page.
                        <div class="wb-table-wrap" tabindex="0" role="region" aria-label="Application history table">
                        <table>
                            <thead>
                                <tr>
                                    <th scope="col">"When"</th>
                                    <th scope="col">"Who"</th>
                                    <th scope="col">"Kind"</th>
                                    <th scope="col">"File"</th>
                                    <th scope="col">"Rows"</th>
                                    <th scope="col">"Status"</th>
                                    <th scope="col">"Courses"</th>
                                    <th scope="col">"To do in PowerSchool"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|e| view! {
                                    <tr class="wb-history-entry" data-entry-id=e.id.to_string()>
                                        <td><time datetime=e.submitted_at.clone() title=format!("{} (UTC)", e.submitted_at)>{local_time(&e.submitted_at)}</time></td>
                                        <td>{e.submitted_by.clone()}</td>
                                        <td>{e.kind.to_string()}</td>
                                        <td class="wb-history-file">
                                            {match e.file_name.clone() {
                                                Some(name) => view! { <code>{name}</code> }.into_any(),
                                                None => view! { <span>"no file"</span> }.into_any(),
                                            }}
                                        </td>
                                        <td>{e.rows}</td>
                                        <td class=format!("wb-history-status st-{}", e.status)>
                                            {e.status.to_string()}
                                            {staged_for(&e).map(|run| view! { <span class="wb-note wb-history-run">{run}</span> })}
                                            {e.detail.clone().map(|d| view! { <span class="wb-note">{d}</span> })}
                                        </td>
                                        <td class="wb-history-courses"><CourseDetails e=e.clone()/></td>
                                        <td class="wb-history-to-do">
                                            {e.confirmation.clone().map(|c| view! { <p class="wb-history-confirmation">{c}</p> })}
                                            {(!e.follow_ups.is_empty()).then(|| view! {
                                                <ul class="wb-history-follow-ups">
                                                    {e.follow_ups.iter().map(|f| view! { <li>{f.clone()}</li> }).collect_view()}
                                                </ul>
                                            })}
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// An RFC 3339 time (`2026-12-02T02:54:40Z`) in the clerk's own time zone
/// and words (`Dec 2, 2026, 8:54 PM`), by the browser's `Intl`; the time as
/// given if it does not parse.
pub(super) fn local_time(rfc3339: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return rfc3339.to_string();
    }
    let options = js_sys::Object::new();
    for (k, v) in [("dateStyle", "medium"), ("timeStyle", "short")] {
        let _ = js_sys::Reflect::set(&options, &k.into(), &v.into());
    }
    date.to_locale_string("en-US", &options).into()
}
