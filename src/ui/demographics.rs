//! The demographics table: one row per mapped field, with its decision.

use leptos::prelude::*;

use crate::ui::erased::memo;

use crate::ui::icons::{svg, Icon};

use crate::demographics::{Decision, FieldRow, Highlight};
use crate::plan::{Decisions, Review};

fn highlight_class(h: Highlight) -> &'static str {
    match h {
        Highlight::Green => "hl-green",
        Highlight::Red => "hl-red",
        Highlight::Yellow => "hl-yellow",
        Highlight::None => "hl-none",
    }
}

fn highlight_icon(h: Highlight) -> Icon {
    match h {
        Highlight::Green => Icon::Check,
        Highlight::Red => Icon::Edit,
        Highlight::Yellow => Icon::Half,
        Highlight::None => Icon::Dash,
    }
}

#[component]
pub(crate) fn DemographicsTable(review: Memo<Review>, decisions: RwSignal<Decisions>) -> impl IntoView {
    let fields =
        review.with_untracked(|r| r.demographics.iter().map(|row| row.field.form_field.clone()).collect::<Vec<_>>());
    view! {
        <table class="wb-demographics">
            <thead>
                <tr>
                    <th scope="col">"Field"</th>
                    <th scope="col">"PowerSchool field"</th>
                    <th scope="col">"Current value (PowerSchool)"</th>
                    <th scope="col">"New value (form)"</th>
                    <th scope="col">"Result"</th>
                    <th scope="col">"Decision"</th>
                </tr>
            </thead>
            <tbody>
                {fields.into_iter().enumerate().map(|(i, field)| view! { <FieldLine review decisions index=i field/> }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn FieldLine(review: Memo<Review>, decisions: RwSignal<Decisions>, index: usize, field: String) -> impl IntoView {
    let row = memo(move |_| review.with(|r| r.demographics.get(index).cloned()));
    let get = move |f: fn(&FieldRow) -> String| move || row.with(|r| r.as_ref().map(f).unwrap_or_default());
    let static_row = row.get_untracked().expect("the row exists");
    let allowed = static_row.field.allowed.clone();
    let select_id = format!("wb-decision-{field}");
    let field_for_change = field.clone();
    view! {
        <tr
            id=format!("wb-field-{field}")
            class=move || format!("wb-row {}", row.with(|r| r.as_ref().map(|r| highlight_class(r.highlight)).unwrap_or("")))
            data-field=field.clone()
        >
            <th scope="row">
                <label for=select_id.clone()>{static_row.field.label.clone()}</label>
                {static_row.field.protected.is_some().then(|| view! { <span class="wb-badge" title="Protected by the district">"protected"</span> })}
            </th>
            <td class="wb-target">
                <code>{static_row.field.target.header()}</code>
                <span class="wb-kind">{static_row.field.kind}</span>
            </td>
            <td class="wb-current">{static_row.field.current.clone().unwrap_or_default()}</td>
            <td class="wb-proposed">
                {static_row.field.proposed.clone().unwrap_or_default()}
                {static_row.field.problem.clone().map(|p| view! { <span class="wb-problem" role="note">{p}</span> })}
            </td>
            <td class="wb-status">
                <span class="wb-icon" aria-hidden="true">{move || row.with(|r| r.as_ref().map(|r| svg(highlight_icon(r.highlight))))}</span>
                <span class="wb-status-text">{get(|r| r.status.to_string())}</span>
                {move || row.with(|r| r.as_ref().and_then(|r| r.note.clone())).map(|n| view! { <span class="wb-note">{n}</span> })}
            </td>
            <td class="wb-decision">
                <select
                    id=select_id
                    name=field.clone()
                    disabled=allowed.len() < 2
                    prop:value=move || row.with(|r| r.as_ref().map(|r| r.decision.as_str()).unwrap_or(Decision::Ignore.as_str()))
                    on:change=move |ev| {
                        if let Ok(d) = event_target_value(&ev).parse::<Decision>() {
                            let f = field_for_change.clone();
                            decisions.update(|ds| {
                                ds.demographics.insert(f, d);
                            });
                        }
                    }
                >
                    {allowed.iter().map(|d| view! { <option value=d.as_str()>{d.label()}</option> }).collect_view()}
                </select>
            </td>
        </tr>
    }
}
