//! Parent portal data access of a block's contact: whether it is asked
//! for, and the email the account uses (one of the contact's emails after
//! the writeback that no other portal account uses).

use super::block::BlockDraft;
use super::records::{ExistingEmail, PersonRecords};
use super::rows::EmailRow;
use crate::domain::{Email, PersonId};

const DATA_ACCESS: Option<&str> = Some("Data Access");

impl BlockDraft<'_> {
    /// Data access for the block's `person` (or a new one), whose email
    /// rows are `emails`: the choices of portal email, and the email used
    /// when data access is asked for.
    pub(super) fn data_access(&mut self, person: Option<PersonId>, rec: Option<&PersonRecords>, emails: &[EmailRow]) {
        let requested = self.data_access_requested();
        self.out.data_access = requested;
        let choices = emails_after(rec, emails);
        self.out.portal_email_choices = choices.clone();
        if !requested {
            return;
        }
        let decision = self.decision;
        let email = match decision.portal_email.as_deref().map(str::trim) {
            Some(chosen) => match self.chosen_portal_email(chosen, &choices) {
                Some(email) => Some(email),
                None => return,
            },
            None => default_portal_email(rec, emails),
        };
        self.use_portal_email(person, email);
    }

    /// Staff's answer, else the form's (a blocker when it is not yes or no).
    fn data_access_requested(&mut self) -> bool {
        let prepared = self.prepared;
        match (&self.decision.data_access, &prepared.form.data_access) {
            (Some(v), _) => *v,
            (None, Some(Ok(v))) => *v,
            (None, Some(Err(text))) => {
                self.block(DATA_ACCESS, format!("data access {text:?} is not yes or no: choose"));
                false
            }
            (None, None) => false,
        }
    }

    /// Staff's choice of portal email, if it is one of `choices`; else a
    /// blocker.
    fn chosen_portal_email(&mut self, chosen: &str, choices: &[String]) -> Option<String> {
        let found = choices.iter().find(|e| e.eq_ignore_ascii_case(chosen)).cloned();
        if found.is_none() {
            let choices = if choices.is_empty() { "(none: add one)".to_string() } else { choices.join(", ") };
            let message =
                format!("{chosen} is not an email of this contact after the writeback: choose one of {choices}");
            self.block(DATA_ACCESS, message);
        }
        found
    }

    /// Uses `email` for the portal account if it is valid and no other
    /// account uses it; else a blocker.
    fn use_portal_email(&mut self, person: Option<PersonId>, email: Option<String>) {
        let email = match email.as_deref().map(Email::parse) {
            None => {
                let message = "data access needs a valid email for the contact: add one or turn data access off";
                return self.block(DATA_ACCESS, message.into());
            }
            Some(Err(e)) => return self.block(DATA_ACCESS, format!("data access needs a valid email: {e}")),
            Some(Ok(email)) => email,
        };
        let folded = email.folded();
        let review = self.review;
        let other_account =
            review.portal.iter().find(|(e, owner, _)| *e == folded && (person.is_none() || *owner != person));
        match other_account {
            Some((_, _, user)) => self.block(
                DATA_ACCESS,
                format!("{email} is already used by parent portal account {user}: data access needs an email no other account uses"),
            ),
            None => self.out.portal_email = Some(email.to_string()),
        }
    }
}

/// The contact's emails after the writeback: those written, then the kept
/// ones.
fn emails_after(rec: Option<&PersonRecords>, emails: &[EmailRow]) -> Vec<String> {
    let written = written(emails).map(|(address, _)| address.to_string());
    written.chain(kept(rec, emails).map(|e| e.address.clone())).collect()
}

/// The portal email when staff choose none: the primary written, the
/// primary kept, or the first written.
fn default_portal_email(rec: Option<&PersonRecords>, emails: &[EmailRow]) -> Option<String> {
    written(emails)
        .find(|(_, primary)| *primary)
        .map(|(address, _)| address.to_string())
        .or_else(|| kept(rec, emails).find(|e| e.primary).map(|e| e.address.clone()))
        .or_else(|| written(emails).next().map(|(address, _)| address.to_string()))
}

/// The emails written, each with whether it is primary.
fn written(emails: &[EmailRow]) -> impl Iterator<Item = (&str, bool)> {
    emails.iter().filter_map(|e| match e {
        EmailRow::Write { address, primary, .. } => Some((address.as_str(), *primary)),
        EmailRow::Delete { .. } => None,
    })
}

/// The person's existing emails that `emails` neither replaces nor deletes.
fn kept<'r>(rec: Option<&'r PersonRecords>, emails: &[EmailRow]) -> impl Iterator<Item = &'r ExistingEmail> {
    let replaced: Vec<i64> = emails
        .iter()
        .filter_map(|e| match e {
            EmailRow::Delete { id } | EmailRow::Write { id: Some(id), .. } => Some(*id),
            EmailRow::Write { id: None, .. } => None,
        })
        .collect();
    rec.into_iter().flat_map(|r| &r.emails).filter(move |e| !replaced.contains(&e.id))
}
