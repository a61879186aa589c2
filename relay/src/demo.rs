//! Loading the demo data folder: `snapshot/` (PowerSchool export files),
//! `applications/*.json` and `mappings.json`.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use writeback::application::{Application, FieldMappings};
use writeback::plan::{District, DistrictSettings, SliceIndex};
use writeback::snapshot::Snapshot;

/// The data the relay reviews against: the district (snapshot, mappings,
/// settings, contact index), the lookups that cut review slices, and the
/// applications.
#[derive(Debug)]
pub struct Demo {
    district: District,
    slices: SliceIndex,
    applications: BTreeMap<String, Application>,
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

impl Demo {
    /// No data: an empty snapshot, no mappings, no applications.
    pub fn empty() -> Demo {
        let district = District::new(Snapshot::default(), FieldMappings::default(), DistrictSettings::default())
            .expect("empty mappings fit an empty snapshot");
        Demo::new(district, BTreeMap::new())
    }

    fn new(district: District, applications: BTreeMap<String, Application>) -> Demo {
        let slices = SliceIndex::build(&district);
        Demo { district, slices, applications }
    }

    /// Loads a demo folder, reporting every problem found.
    pub fn load(dir: &Path) -> Result<Demo, DemoError> {
        let mut problems = Vec::new();
        let snapshot = load_snapshot(&dir.join("snapshot"), &mut problems);
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
        let applications = load_applications(&dir.join("applications"), &mut problems);
        let district = match (snapshot, mappings) {
            (Some(snapshot), Some(mappings)) => District::new(snapshot, mappings, settings)
                .map_err(|writeback::plan::PrepareError::Mappings(errors)| {
                    problems.extend(errors.iter().map(|e| format!("mappings.json: {e}")))
                })
                .ok(),
            _ => None,
        };
        match district {
            Some(district) if problems.is_empty() => Ok(Demo::new(district, applications)),
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

    /// The other applications of `app`'s family batch.
    pub fn family_of(&self, app: &Application) -> Vec<Application> {
        let Some(batch) = &app.family_batch else { return Vec::new() };
        self.applications
            .values()
            .filter(|a| a.id != app.id && a.family_batch.as_ref() == Some(batch))
            .cloned()
            .collect()
    }

    /// An application by id.
    pub fn application(&self, id: &str) -> Option<&Application> {
        self.applications.get(id)
    }

    /// Every application, by id.
    pub fn applications(&self) -> impl Iterator<Item = &Application> {
        self.applications.values()
    }

    /// How many students the snapshot has.
    pub fn student_count(&self) -> usize {
        self.district.snapshot().students.len()
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

fn load_snapshot(dir: &Path, problems: &mut Vec<String>) -> Option<Snapshot> {
    let files = writeback::files::read_export_folder(dir).map_err(|e| problems.push(format!("snapshot/: {e}"))).ok()?;
    Snapshot::from_exports(&files)
        .map_err(|errors| problems.extend(errors.0.iter().map(|e| format!("snapshot/{e}"))))
        .ok()
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
