//! A section's `Expression`: PowerSchool's period/day notation, read into
//! the (period, day) slots the section meets in.
//!
//! Forms read: `3(A)`, `1-2(A)` (a period range), `4(A-B)` (a day range),
//! `1,3(A,C)` (lists), `1(A) 2(B)` (several meetings), and named periods
//! such as `HR(A)`. Numeric periods compare as numbers (`01` is `1`);
//! names and days compare case-insensitively.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The longest range expanded (`1-40` is fine, `1-4000000` is refused).
const MAX_RANGE: u32 = 64;

/// A period of the school day: a number, or a name such as `HR`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    /// A numbered period.
    Number(u32),
    /// A named period, its ASCII letters in upper case (PowerSchool's
    /// period and day names are ASCII; `str::to_uppercase` would put the
    /// whole Unicode case table, 7 KB gzipped, into the widget).
    Name(String),
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Number(n) => write!(f, "{n}"),
            Period::Name(s) => f.write_str(s),
        }
    }
}

/// Why an Expression cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read the Expression {expression:?}: {problem}")]
pub struct ExpressionError {
    /// The Expression as exported.
    pub expression: String,
    /// What is wrong with it.
    pub problem: String,
}

/// When a section meets: every (period, day) slot of its Expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meetings {
    slots: BTreeSet<(Period, String)>,
}

impl Meetings {
    /// Reads an Expression such as `3(A)`, `1-2(A)`, `4(A-B)` or `1(A) 2(B)`.
    pub fn parse(expression: &str) -> Result<Meetings, ExpressionError> {
        let bad = |problem: &str| ExpressionError { expression: expression.to_string(), problem: problem.into() };
        let mut slots = BTreeSet::new();
        let mut rest = expression.trim();
        if rest.is_empty() {
            return Err(bad("it is empty"));
        }
        while !rest.is_empty() {
            let open = rest.find('(').ok_or_else(|| bad("expected periods followed by days in parentheses"))?;
            let close = rest.find(')').ok_or_else(|| bad("a parenthesis is not closed"))?;
            if close < open {
                return Err(bad("a closing parenthesis comes before its opening one"));
            }
            let periods = list(&rest[..open], period_item).map_err(|p| bad(&p))?;
            let days = list(&rest[open + 1..close], day_item).map_err(|p| bad(&p))?;
            for p in &periods {
                for d in &days {
                    slots.insert((p.clone(), d.clone()));
                }
            }
            rest = rest[close + 1..].trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        }
        Ok(Meetings { slots })
    }

    /// The distinct periods, in order (numbers first).
    pub fn periods(&self) -> Vec<String> {
        let set: BTreeSet<&Period> = crate::sort::set(self.slots.iter().map(|(p, _)| p));
        set.into_iter().map(ToString::to_string).collect()
    }

    /// The distinct days, in order.
    pub fn days(&self) -> Vec<String> {
        let set: BTreeSet<&String> = crate::sort::set(self.slots.iter().map(|(_, d)| d));
        set.into_iter().cloned().collect()
    }

    /// The slots both meet in, in words (`period 3 on day A`), or `None`
    /// when they share none.
    pub fn clash(&self, other: &Meetings) -> Option<String> {
        let mut by_period: BTreeMap<&Period, Vec<&str>> = BTreeMap::new();
        for (p, d) in self.slots.intersection(&other.slots) {
            by_period.entry(p).or_default().push(d);
        }
        if by_period.is_empty() {
            return None;
        }
        let parts: Vec<String> = by_period
            .into_iter()
            .map(|(p, days)| {
                let word = if days.len() == 1 { "day" } else { "days" };
                format!("period {p} on {word} {}", days.join(", "))
            })
            .collect();
        Some(parts.join(" and "))
    }
}

/// A comma-separated list of items (each maybe a range), expanded.
fn list<T: Ord>(text: &str, item: fn(&str) -> Result<Vec<T>, String>) -> Result<Vec<T>, String> {
    let mut out = BTreeSet::new();
    for part in text.split(',') {
        out.extend(item(part.trim())?);
    }
    Ok(out.into_iter().collect())
}

/// One period or period range: `3`, `1-2`, `HR`.
fn period_item(s: &str) -> Result<Vec<Period>, String> {
    let one = |t: &str| -> Result<Period, String> {
        let t = t.trim();
        if t.is_empty() {
            return Err("a period is missing".into());
        }
        if t.bytes().all(|b| b.is_ascii_digit()) {
            return t.parse().map(Period::Number).map_err(|_| format!("period {t} is too large"));
        }
        if t.chars().all(char::is_alphanumeric) {
            return Ok(Period::Name(t.to_ascii_uppercase()));
        }
        Err(format!("{t:?} is not a period"))
    };
    match s.split_once('-') {
        None => Ok(vec![one(s)?]),
        Some((a, b)) => match (one(a)?, one(b)?) {
            (Period::Number(a), Period::Number(b)) => Ok(range(s, a, b)?.map(Period::Number).collect()),
            _ => Err(format!("the period range {s:?} is not between two numbers")),
        },
    }
}

/// One day or day range: `A`, `A-B`, `M`.
fn day_item(s: &str) -> Result<Vec<String>, String> {
    let one = |t: &str| -> Result<String, String> {
        let t = t.trim();
        if t.is_empty() {
            return Err("a day is missing".into());
        }
        if t.chars().all(char::is_alphanumeric) {
            return Ok(t.to_ascii_uppercase());
        }
        Err(format!("{t:?} is not a day"))
    };
    match s.split_once('-') {
        None => Ok(vec![one(s)?]),
        Some((a, b)) => {
            let (a, b) = (one(a)?, one(b)?);
            let single = |t: &str| if t.len() == 1 { t.bytes().next() } else { None };
            match (single(&a), single(&b)) {
                (Some(x), Some(y)) if x.is_ascii_alphabetic() == y.is_ascii_alphabetic() => {
                    Ok(range(s, x.into(), y.into())?.filter_map(char::from_u32).map(String::from).collect())
                }
                _ => match (a.parse::<u32>(), b.parse::<u32>()) {
                    (Ok(x), Ok(y)) => Ok(range(s, x, y)?.map(|n| n.to_string()).collect()),
                    _ => Err(format!("the day range {s:?} is not between two letters or two numbers")),
                },
            }
        }
    }
}

/// `a..=b` of the range written `text`, refusing backwards and overlong ones.
fn range(text: &str, a: u32, b: u32) -> Result<std::ops::RangeInclusive<u32>, String> {
    if b < a {
        return Err(format!("the range {text:?} runs backwards"));
    }
    if b - a >= MAX_RANGE {
        return Err(format!("the range {text:?} is too long"));
    }
    Ok(a..=b)
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;

    /// Each line: the expression, then its periods and days, or the error.
    fn check(inputs: &[&str], expect: Expect) {
        let mut out = String::new();
        for e in inputs {
            match Meetings::parse(e) {
                Ok(m) => out.push_str(&format!("{e:?}: periods {:?} days {:?}\n", m.periods(), m.days())),
                Err(x) => out.push_str(&format!("{e:?}: ERROR {x}\n")),
            }
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn reads_powerschool_expressions() {
        check(
            &["3(A)", "1-2(A)", "4(A-B)", "01,3(a,c)", "1(A) 2(B)", "HR(A-E)", " 7 ( A ) ", "2(1-3)", "1(A)2(B)"],
            expect![[r#"
                "3(A)": periods ["3"] days ["A"]
                "1-2(A)": periods ["1", "2"] days ["A"]
                "4(A-B)": periods ["4"] days ["A", "B"]
                "01,3(a,c)": periods ["1", "3"] days ["A", "C"]
                "1(A) 2(B)": periods ["1", "2"] days ["A", "B"]
                "HR(A-E)": periods ["HR"] days ["A", "B", "C", "D", "E"]
                " 7 ( A ) ": periods ["7"] days ["A"]
                "2(1-3)": periods ["2"] days ["1", "2", "3"]
                "1(A)2(B)": periods ["1", "2"] days ["A", "B"]
            "#]],
        );
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        check(
            &[
                "",
                "3",
                "3(A",
                "3)A(",
                "(A)",
                "3()",
                "2-1(A)",
                "1-99999(A)",
                "M-F",
                "1(M-F)",
                "1(A-3)",
                "HR-2(A)",
                "1;2(A)",
            ],
            expect![[r#"
                "": ERROR cannot read the Expression "": it is empty
                "3": ERROR cannot read the Expression "3": expected periods followed by days in parentheses
                "3(A": ERROR cannot read the Expression "3(A": a parenthesis is not closed
                "3)A(": ERROR cannot read the Expression "3)A(": a closing parenthesis comes before its opening one
                "(A)": ERROR cannot read the Expression "(A)": a period is missing
                "3()": ERROR cannot read the Expression "3()": a day is missing
                "2-1(A)": ERROR cannot read the Expression "2-1(A)": the range "2-1" runs backwards
                "1-99999(A)": ERROR cannot read the Expression "1-99999(A)": the range "1-99999" is too long
                "M-F": ERROR cannot read the Expression "M-F": expected periods followed by days in parentheses
                "1(M-F)": ERROR cannot read the Expression "1(M-F)": the range "M-F" runs backwards
                "1(A-3)": ERROR cannot read the Expression "1(A-3)": the day range "A-3" is not between two letters or two numbers
                "HR-2(A)": ERROR cannot read the Expression "HR-2(A)": the period range "HR-2" is not between two numbers
                "1;2(A)": ERROR cannot read the Expression "1;2(A)": "1;2" is not a period
            "#]],
        );
    }

    #[test]
    fn clashes_need_a_shared_period_on_a_shared_day() {
        let m = |e: &str| Meetings::parse(e).unwrap();
        let pairs = [
            ("3(A)", "3(A)"),
            ("3(A)", "3(B)"),
            ("1-2(A)", "2(A-B)"),
            ("4(A-B)", "4(A-C) 5(A)"),
            ("1(A)", "2(A)"),
            ("hr(a)", "HR(A)"),
        ];
        let out: Vec<String> = pairs.iter().map(|(a, b)| format!("{a} / {b}: {:?}", m(a).clash(&m(b)))).collect();
        expect![[r#"
            3(A) / 3(A): Some("period 3 on day A")
            3(A) / 3(B): None
            1-2(A) / 2(A-B): Some("period 2 on day A")
            4(A-B) / 4(A-C) 5(A): Some("period 4 on days A, B")
            1(A) / 2(A): None
            hr(a) / HR(A): Some("period HR on day A")
        "#]]
        .assert_eq(&(out.join("\n") + "\n"));
    }
}
