//! A decided block: the contact option (update, do not update, unlink,
//! expire with its end date), the field table (each email, phone and
//! address: form value beside the existing one, the action, the phone type
//! where the types differ), parent portal data access, the block's
//! warnings and problems. Every value shown comes from the core's outcome;
//! every control only changes the decisions.

use leptos::prelude::*;

use crate::ui::erased::{keyed_rows, memo};
use crate::ui::icons::{svg, Icon};

use crate::contacts::decide::{BlockDecision, ContactBlocker, ContactOption, FieldAction, FieldKind, FieldRow};
use crate::domain::Date;
use crate::plan::{ContactReview, Decisions};

/// The data access problems' field in the core's blockers.
const DATA_ACCESS: &str = "Data Access";

/// Changes one block's decision.
pub(super) fn update_block(decisions: RwSignal<Decisions>, block: &str, f: impl FnOnce(&mut BlockDecision)) {
    let block = block.to_string();
    decisions.update(move |d| f(d.contacts.blocks.entry(block).or_default()));
}

/// The value of an option in a select.
pub(super) fn option_value(o: &ContactOption) -> &'static str {
    match o {
        ContactOption::Update => "update",
        ContactOption::DoNotUpdate => "do_not_update",
        ContactOption::Unlink => "unlink",
        ContactOption::Expire { .. } => "expire",
    }
}

fn option_label(value: &str) -> &'static str {
    match value {
        "update" => "Update",
        "do_not_update" => "Do not update",
        "unlink" => "Unlink from this student",
        _ => "Expire (end the relationship on a date)",
    }
}

/// The option a select value stands for; an expiry keeps the date chosen
/// before.
pub(super) fn option_from(value: &str, current: &ContactOption) -> ContactOption {
    match value {
        "do_not_update" => ContactOption::DoNotUpdate,
        "unlink" => ContactOption::Unlink,
        "expire" => match current {
            ContactOption::Expire { end_date } => ContactOption::Expire { end_date: *end_date },
            _ => ContactOption::Expire { end_date: None },
        },
        _ => ContactOption::Update,
    }
}

/// The end date of an expiry, as a date input shows it.
pub(super) fn end_date_value(o: &ContactOption) -> String {
    match o {
        ContactOption::Expire { end_date: Some(d) } => d.to_string(),
        _ => String::new(),
    }
}

/// The date an input holds (`None` when empty or not a date).
pub(super) fn parse_date(raw: &str) -> Option<Date> {
    Date::parse(raw.trim()).ok()
}

fn action_label(a: FieldAction) -> &'static str {
    match a {
        FieldAction::Update => "Update the existing one",
        FieldAction::Add => "Add as new",
        FieldAction::Remove => "Remove the existing one",
        FieldAction::Keep => "Do not update",
    }
}

fn kind_label(k: FieldKind) -> &'static str {
    match k {
        FieldKind::Email => "Email",
        FieldKind::Phone => "Phone",
        FieldKind::Address => "Address",
    }
}

/// The problems the core names for `block`, filtered by `field`.
fn problems(outcome: Memo<Vec<ContactBlocker>>, block: &str, field: impl Fn(Option<&str>) -> bool) -> Vec<String> {
    outcome.with(|o| {
        o.iter()
            .filter(|b| b.block.as_deref() == Some(block) && field(b.field.as_deref()))
            .map(|b| b.message.clone())
            .collect()
    })
}

fn problem_list(class: &'static str, messages: Vec<String>) -> impl IntoView {
    (!messages.is_empty()).then(|| {
        view! {
            <ul class=class>
                {messages.into_iter().map(|m| view! {
                    <li><span class="wb-problem-icon" aria-hidden="true">{svg(Icon::Stop)}</span>{m}</li>
                }).collect_view()}
            </ul>
        }
    })
}

/// The decisions of a block once staff said who it is.
#[component]
pub(super) fn BlockDecisionView(
    contact: Memo<Option<ContactReview>>,
    outcome: Memo<Vec<ContactBlocker>>,
    decisions: RwSignal<Decisions>,
    block: String,
    phone_types: Vec<(String, String)>,
) -> impl IntoView {
    let decided = move || contact.with(|c| c.as_ref().is_some_and(|c| c.decision.decided));
    let option = move || contact.with(|c| c.as_ref().map(|c| c.decision.option).unwrap_or_default());
    // The field rows, keyed by the person they are paired with.
    let rows: Memo<Vec<(String, String)>> = memo(move |_| {
        contact.with(|c| {
            c.as_ref()
                .map(|c| {
                    let who = format!("{:?}", c.decision.person);
                    c.decision.fields.iter().map(|r| (format!("{who}-{}", r.key), r.key.clone())).collect()
                })
                .unwrap_or_default()
        })
    });
    let field_keys = move || rows.with(|r| r.iter().map(|(_, k)| k.clone()).collect::<Vec<_>>());
    let b = block.clone();
    let block_problems = memo(move |_| {
        let keys = field_keys();
        problems(outcome, &b, |f| match f {
            None => true,
            Some(f) => f != DATA_ACCESS && !keys.iter().any(|k| k == f),
        })
    });
    let b = block.clone();
    let access_problems = memo(move |_| problems(outcome, &b, |f| f == Some(DATA_ACCESS)));
    let warnings = move || contact.with(|c| c.as_ref().map(|c| c.decision.warnings.clone()).unwrap_or_default());
    let shows_fields = move || decided() && option() == ContactOption::Update;
    let block_for_option = block.clone();
    let block_for_rows = block.clone();
    view! {
        <div class="wb-block-decision">
            {move || problem_list("wb-contact-problems", block_problems.get())}
            {move || {
                let w = warnings();
                (!w.is_empty()).then(|| view! {
                    <ul class="wb-contact-block-warnings">
                        {w.into_iter().map(|w| view! {
                            <li><span class="wb-icon" aria-hidden="true">{svg(Icon::Warning)}</span>{w}</li>
                        }).collect_view()}
                    </ul>
                })
            }}
            <Show when=decided>
                <OptionRow contact decisions block=block_for_option.clone()/>
            </Show>
            <Show when=shows_fields>
                {
                    let block = block_for_rows.clone();
                    let phone_types = phone_types.clone();
                    view! {
                        <table class="wb-contact-fields">
                            <caption>"Emails, phones and addresses"</caption>
                            <thead><tr>
                                <th scope="col">"Field"</th><th scope="col">"On the form"</th>
                                <th scope="col">"In PowerSchool"</th><th scope="col">"Action"</th>
                                <th scope="col">"Phone type"</th>
                            </tr></thead>
                            <tbody>
                                {keyed_rows(
                                    move || rows.get(),
                                    move |key| {
                                        let (block, phone_types) = (block.clone(), phone_types.clone());
                                        view! { <FieldLine contact outcome decisions block key phone_types/> }.into_any()
                                    },
                                )}
                            </tbody>
                        </table>
                    }
                }
                <DataAccess contact decisions block=block_for_rows.clone() access_problems/>
            </Show>
        </div>
    }
}

/// What to do with a decided block's contact (update, do not update,
/// unlink, expire and its end date).
#[component]
fn OptionRow(contact: Memo<Option<ContactReview>>, decisions: RwSignal<Decisions>, block: String) -> impl IntoView {
    let option = move || contact.with(|c| c.as_ref().map(|c| c.decision.option).unwrap_or_default());
    let allowed: Memo<Vec<&'static str>> = memo(move |_| {
        contact.with(|c| {
            c.as_ref().map(|c| c.decision.allowed_options.iter().map(option_value).collect()).unwrap_or_default()
        })
    });
    let option_id = format!("wb-contact-option-{block}");
    let b = StoredValue::new(block);
    let on_option = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        update_block(decisions, &b.get_value(), |d| d.option = option_from(&v, &d.option));
    };
    let on_date = move |ev: leptos::ev::Event| {
        let end_date = parse_date(&event_target_value(&ev));
        update_block(decisions, &b.get_value(), |d| d.option = ContactOption::Expire { end_date });
    };
    view! {
        <OptionSelect
            id=option_id
            label="What to do with this contact: "
            class="wb-contact-option"
            values=allowed.into()
            selected=Signal::derive(move || option_value(&option()))
            name=option_label
            option=Signal::derive(option)
            on_option=Callback::new(on_option)
            on_date=Callback::new(on_date)
        />
    }
}

/// What to do with a contact, as a select of the options the core allows
/// (`values`, each named by `name`) and, when it is to expire, its end date.
#[component]
#[allow(clippy::too_many_arguments)]
pub(super) fn OptionSelect(
    id: String,
    label: &'static str,
    class: &'static str,
    values: Signal<Vec<&'static str>>,
    selected: Signal<&'static str>,
    name: fn(&str) -> &'static str,
    option: Signal<ContactOption>,
    on_option: Callback<leptos::ev::Event>,
    on_date: Callback<leptos::ev::Event>,
) -> impl IntoView {
    view! {
        <div class="wb-contact-option-row">
            <label for=id.clone()>{label}</label>
            <select class=class id=id on:change=move |ev| on_option.run(ev)>
                {move || values.get().into_iter().map(|v| view! {
                    <option value=v prop:selected=move || selected.get() == v>{name(v)}</option>
                }).collect_view()}
            </select>
            <Show when=move || matches!(option.get(), ContactOption::Expire { .. })>
                <label>" End date: "
                    <input type="date" class="wb-expire-date"
                        prop:value=move || end_date_value(&option.get()) on:change=move |ev| on_date.run(ev)/>
                </label>
            </Show>
        </div>
    }
}

/// Parent portal data access for a block's contact, and the email it goes
/// to: the core's verdict (free, or refused and why) beside the box.
#[component]
fn DataAccess(
    contact: Memo<Option<ContactReview>>,
    decisions: RwSignal<Decisions>,
    block: String,
    access_problems: Memo<Vec<String>>,
) -> impl IntoView {
    let access_id = format!("wb-data-access-{block}");
    let b = StoredValue::new(block);
    let on_access = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        update_block(decisions, &b.get_value(), |d| d.data_access = Some(on));
    };
    let on_portal_email = move |ev: leptos::ev::Event| {
        let email = event_target_value(&ev);
        update_block(decisions, &b.get_value(), |d| d.portal_email = Some(email));
    };
    let email = move || {
        let (on, choices, chosen) = contact.with(|c| {
            c.as_ref()
                .map(|c| {
                    (c.decision.data_access, c.decision.portal_email_choices.clone(), c.decision.portal_email.clone())
                })
                .unwrap_or_default()
        });
        if on && !choices.is_empty() {
            // Staff's choice, even while refused; else the one in effect.
            let selected = decisions
                .with(|d| d.contacts.blocks.get(&b.get_value()).and_then(|x| x.portal_email.clone()))
                .or(chosen)
                .unwrap_or_default();
            view! {
                <label class="wb-portal-email-label">" Parent portal email: "
                    <select class="wb-portal-email" on:change=on_portal_email>
                        {choices.into_iter().map(|e| {
                            let is = e.eq_ignore_ascii_case(&selected);
                            view! { <option value=e.clone() selected=is>{e.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
            }
            .into_any()
        } else {
            let e = contact.with(|c| c.as_ref().map(portal_emails).unwrap_or_default());
            let text = if e.is_empty() {
                "no email on this contact".to_string()
            } else {
                format!("email: {}", e.join(" · "))
            };
            view! { <span class="wb-data-access-email">{text}</span> }.into_any()
        }
    };
    view! {
        <div class="wb-data-access">
            <label for=access_id.clone()>
                <input type="checkbox" class="wb-data-access-box" id=access_id.clone()
                    prop:checked=move || contact.with(|c| c.as_ref().is_some_and(|c| c.decision.data_access))
                    on:change=on_access/>
                " Parent portal data access"
            </label>
            {email}
            <span class="wb-data-access-state" role="status">{move || {
                let on = contact.with(|c| c.as_ref().is_some_and(|c| c.decision.data_access));
                match (on, access_problems.get().is_empty()) {
                    (false, _) => None,
                    (true, true) => Some((Icon::Check, "email free: give data access in PowerSchool after the import")),
                    (true, false) => Some((Icon::Cross, "refused, because:")),
                }
                .map(|(icon, text)| view! { {svg(icon)}{text} })
            }}</span>
            {move || problem_list("wb-data-access-problems", access_problems.get())}
        </div>
    }
}

/// The emails a contact will have after the writeback (what data access
/// would use when there is no choice to make).
fn portal_emails(c: &ContactReview) -> Vec<String> {
    c.decision
        .fields
        .iter()
        .filter(|r| r.kind == FieldKind::Email)
        .filter_map(|r| match r.action {
            FieldAction::Update | FieldAction::Add => r.form.clone(),
            FieldAction::Keep => r.existing.clone(),
            FieldAction::Remove => None,
        })
        .collect()
}

/// One email, phone or address row.
#[component]
fn FieldLine(
    contact: Memo<Option<ContactReview>>,
    outcome: Memo<Vec<ContactBlocker>>,
    decisions: RwSignal<Decisions>,
    block: String,
    key: String,
    phone_types: Vec<(String, String)>,
) -> impl IntoView {
    let k = key.clone();
    let row: Memo<Option<FieldRow>> = memo(move |_| {
        contact.with(|c| c.as_ref().and_then(|c| c.decision.fields.iter().find(|r| r.key == k).cloned()))
    });
    let initial = row.get_untracked();
    let Some(initial) = initial else { return ().into_any() };
    let (b, k) = (block.clone(), key.clone());
    let on_action = move |ev: leptos::ev::Event| {
        if let Ok(a) = event_target_value(&ev).parse::<FieldAction>() {
            let k = k.clone();
            update_block(decisions, &b, |d| d.fields.entry(k).or_default().action = Some(a));
        }
    };
    let (b, k) = (block.clone(), key.clone());
    let on_type = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        let k = k.clone();
        update_block(decisions, &b, |d| d.fields.entry(k).or_default().phone_type = (!v.is_empty()).then_some(v));
    };
    let (b, k) = (block.clone(), key.clone());
    let row_problems = memo(move |_| problems(outcome, &b, |f| f == Some(k.as_str())));
    let action = move || row.with(|r| r.as_ref().map(|r| r.action));
    let phone_type = move || row.with(|r| r.as_ref().and_then(|r| r.phone_type.clone()));
    let action_id = format!("wb-field-action-{block}-{key}");
    let type_id = format!("wb-phone-type-{block}-{key}");
    let label = format!("{} ({key})", kind_label(initial.kind));
    let mismatch = initial.type_mismatch;
    view! {
        <tr class="wb-contact-field" data-field-key=key.clone()
            class:type-mismatch=move || mismatch && phone_type().is_none()
            class:type-settled=move || mismatch && phone_type().is_some()
            class:has-problem=move || !row_problems.get().is_empty()>
            <th scope="row">{label.clone()}</th>
            <td class="wb-field-form">{initial.form.clone().unwrap_or_else(|| "—".into())}</td>
            <td class="wb-field-existing">
                {initial.existing.clone().unwrap_or_else(|| "—".into())}
                {initial.same.then(|| view! { <span class="wb-same">" "{svg(Icon::Check)}"same"</span> })}
            </td>
            <td>
                <select class="wb-field-action" id=action_id aria-label=format!("What to do with {label}") on:change=on_action>
                    {initial.allowed.iter().map(|a| {
                        let a = *a;
                        view! { <option value=a.as_str() prop:selected=move || action() == Some(a)>{action_label(a)}</option> }
                    }).collect_view()}
                </select>
            </td>
            <td>
                {initial.type_mismatch.then(|| view! {
                    <span class="wb-phone-mismatch" class:settled=move || phone_type().is_some()>
                        <span class="wb-phone-icon" aria-hidden="true">{svg(Icon::Phone)}</span>
                        {move || match phone_type() {
                            None => "phone type differs: choose one, or the import fails".to_string(),
                            Some(t) => format!("phone type differs: {t} is written"),
                        }}
                    </span>
                    <select class="wb-phone-type" id=type_id aria-label=format!("Phone type of {label}") on:change=on_type>
                        <option value="" prop:selected=move || phone_type().is_none()>"Choose…"</option>
                        {phone_types.iter().map(|(code, shown)| {
                            let c = code.clone();
                            view! {
                                <option value=code.clone() prop:selected=move || phone_type().as_deref() == Some(c.as_str())>
                                    {if code == shown { code.clone() } else { format!("{shown} ({code})") }}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                })}
                {(!initial.type_mismatch).then(|| view! {
                    <span class="wb-phone-type-written">{move || phone_type().unwrap_or_default()}</span>
                })}
                {move || problem_list("wb-field-problems", row_problems.get())}
            </td>
        </tr>
    }
    .into_any()
}
