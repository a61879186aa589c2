//! The data the relay reviews against, and where it comes from: the
//! district's PowerSchool exports (`snapshot/`), its field mappings
//! (`mappings.json`) and settings (`district.json`), and the applications.
//! The demo folder (`--demo DIR`) holds all four; the snapshot folder is
//! watched and reloaded while the relay runs ([`Dataset`] is swapped whole
//! once a new export set has loaded and passed its checks), and the host
//! system adds applications through the API (kept in the database).

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use writeback_core::application::{Application, FieldMappings};
use writeback_core::plan::{District, DistrictSettings, SliceIndex};
use writeback_core::snapshot::Snapshot;

/// One loaded export set: the district (snapshot, mappings, settings,
/// contact index), the lookups that cut review slices, and what its load
/// warned about.
#[derive(Debug)]
pub struct Dataset {
    district: District,
    slices: SliceIndex,
    /// Problems PowerSchool's own data has (a row left out, a reference
    /// unresolved), each `file:line:column: message`.
    pub warnings: Vec<String>,
    /// When it was loaded (RFC 3339).
    pub loaded_at: String,
    /// The files it was loaded from, to tell when they change.
    pub fingerprint: Fingerprint,
}

/// The names, sizes and modification times of the files a data set comes
/// from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fingerprint(Vec<(String, u64, Option<SystemTime>)>);

impl Fingerprint {
    /// The fingerprint of the demo folder's snapshot, mappings and settings.
    pub fn of(dir: &Path) -> Fingerprint {
        let mut files = Vec::new();
        let mut add = |path: &Path, shown: String| {
            if let Ok(meta) = fs::metadata(path) {
                files.push((shown, meta.len(), meta.modified().ok()));
            }
        };
        if let Ok(entries) = fs::read_dir(dir.join("snapshot")) {
            for e in entries.flatten() {
                add(&e.path(), format!("snapshot/{}", e.file_name().to_string_lossy()));
            }
        }
        add(&dir.join("mappings.json"), "mappings.json".into());
        add(&dir.join("district.json"), "district.json".into());
        files.sort();
        Fingerprint(files)
    }

    /// When the export was taken, as far as the files tell: the oldest
    /// modification time of the snapshot's files.
    pub fn exported_at(&self) -> Option<SystemTime> {
        self.0.iter().filter(|(name, _, _)| name.starts_with("snapshot/")).filter_map(|(_, _, at)| *at).min()
    }
}

impl Dataset {
    /// No data: an empty snapshot, no mappings.
    pub fn empty() -> Dataset {
        let district = District::new(Snapshot::default(), FieldMappings::default(), DistrictSettings::default())
            .expect("empty mappings fit an empty snapshot");
        Dataset::new(district, Vec::new(), Fingerprint::default())
    }

    fn new(district: District, warnings: Vec<String>, fingerprint: Fingerprint) -> Dataset {
        let slices = SliceIndex::build(&district);
        Dataset { district, slices, warnings, loaded_at: crate::time::now_rfc3339(), fingerprint }
    }

    /// Loads the snapshot, mappings and settings of `dir`. A broken export
    /// set (or bad mappings or settings) is refused with every problem;
    /// problems in rows of PowerSchool's data are kept as warnings.
    pub fn load(dir: &Path) -> Result<Dataset, DemoError> {
        let fingerprint = Fingerprint::of(dir);
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        let snapshot = load_snapshot(&dir.join("snapshot"), &mut problems, &mut warnings);
        let mappings = read_text(&dir.join("mappings.json"), "mappings.json", &mut problems).and_then(|text| {
            FieldMappings::from_json(&text).map_err(|e| problems.push(json_problem("mappings.json", &e))).ok()
        });
        // district.json is optional: without it, course writeback is off.
        let settings_path = dir.join("district.json");
        let settings = if settings_path.exists() {
            read_text(&settings_path, "district.json", &mut problems)
                .and_then(|text| {
                    serde_json::from_str::<DistrictSettings>(&text)
                        .map_err(|e| problems.push(json_problem("district.json", &e)))
                        .ok()
                })
                .unwrap_or_default()
        } else {
            DistrictSettings::default()
        };
        problems
            .extend(delivery_problems(&settings, mappings.as_ref()).into_iter().map(|p| format!("district.json: {p}")));
        let district = match (snapshot, mappings) {
            (Some(snapshot), Some(mappings)) => District::new(snapshot, mappings, settings)
                .map_err(|writeback_core::plan::PrepareError::Mappings(errors)| {
                    problems.extend(errors.iter().map(|e| format!("mappings.json: {e}")))
                })
                .ok(),
            _ => None,
        };
        match district {
            Some(district) if problems.is_empty() => Ok(Dataset::new(district, warnings, fingerprint)),
            _ => Err(DemoError { dir: dir.to_path_buf(), problems }),
        }
    }

    /// The district: snapshot, mappings (checked), settings, contact index.
    pub fn district(&self) -> &District {
        &self.district
    }

    /// The lookups that cut one application's review slice.
    pub fn slices(&self) -> &SliceIndex {
        &self.slices
    }

    /// The district settings.
    pub fn settings(&self) -> &DistrictSettings {
        self.district.settings()
    }

    /// How many students the snapshot has.
    pub fn student_count(&self) -> usize {
        self.district.snapshot().students.len()
    }
}

/// Loads the demo folder's applications (`applications/*.json`).
pub fn load_applications_folder(dir: &Path) -> Result<BTreeMap<String, Application>, DemoError> {
    let mut problems = Vec::new();
    let apps = load_applications(&dir.join("applications"), &mut problems);
    if problems.is_empty() {
        Ok(apps)
    } else {
        Err(DemoError { dir: dir.to_path_buf(), problems })
    }
}

/// Everything wrong with a demo folder, each problem located as
/// `file:line:column: message` where it has a place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DemoError {
    /// The folder.
    pub dir: PathBuf,
    /// The problems.
    pub problems: Vec<String>,
}

impl fmt::Display for DemoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the demo folder {} has {} problem(s):", self.dir.display(), self.problems.len())?;
        for p in &self.problems {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

fn read_text(path: &Path, shown: &str, problems: &mut Vec<String>) -> Option<String> {
    fs::read_to_string(path).map_err(|e| problems.push(format!("{shown}: cannot read {}: {e}", path.display()))).ok()
}

/// `file:line:column: message` for a JSON error.
fn json_problem(shown: &str, e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = text.strip_suffix(&suffix).unwrap_or(&text);
    format!("{shown}:{}:{}: {message}", e.line(), e.column())
}

fn load_snapshot(dir: &Path, problems: &mut Vec<String>, warnings: &mut Vec<String>) -> Option<Snapshot> {
    let files = writeback_files::read_export_folder(dir).map_err(|e| problems.push(format!("snapshot/: {e}"))).ok()?;
    match Snapshot::from_exports_lenient(&files) {
        Ok((snapshot, found)) => {
            warnings.extend(found.iter().map(|w| format!("snapshot/{w}")));
            Some(snapshot)
        }
        Err(errors) => {
            problems.extend(errors.0.iter().map(|e| format!("snapshot/{e}")));
            None
        }
    }
}

fn load_applications(dir: &Path, problems: &mut Vec<String>) -> BTreeMap<String, Application> {
    let mut applications = BTreeMap::new();
    let mut paths: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json") && p.is_file())
            .collect(),
        Err(e) => {
            problems.push(format!("applications/: cannot read the folder {}: {e}", dir.display()));
            return applications;
        }
    };
    paths.sort();
    let mut from: BTreeMap<String, String> = BTreeMap::new();
    for path in paths {
        let shown = format!("applications/{}", path.file_name().unwrap_or_default().to_string_lossy());
        let Some(text) = read_text(&path, &shown, problems) else {
            continue;
        };
        match Application::from_json(&text) {
            Ok(app) => {
                let id = app.id.to_string();
                if let Some(first) = from.get(&id) {
                    problems.push(format!("{shown}: application id {id:?} is already used by {first}"));
                    continue;
                }
                from.insert(id.clone(), shown);
                applications.insert(id, app);
            }
            Err(e) => problems.push(json_problem(&shown, &e)),
        }
    }
    applications
}

/// What is wrong with the delivery settings: the targets, the time zone,
/// and a Students column list that leaves out a mapped field (a written
/// field would have no column to go in).
fn delivery_problems(settings: &DistrictSettings, mappings: Option<&FieldMappings>) -> Vec<String> {
    let mut out = settings.delivery.problems();
    if let Err(e) = crate::runs::zone(settings.time_zone.as_deref()) {
        out.push(e.to_string());
    }
    let columns = settings.delivery.students.as_ref().and_then(|t| t.columns.as_ref());
    if let (Some(columns), Some(mappings)) = (columns, mappings) {
        for field in &mappings.student_fields {
            let header = field.target.header();
            if !columns.iter().any(|c| c.eq_ignore_ascii_case(&header)) {
                out.push(format!(
                    "delivery.students.columns: {header} (mapped from the form's {:?}) is not in the list; add it where the AutoComm record has it",
                    field.form_field
                ));
            }
        }
    }
    out
}
