//! Reading a report file: its text, checked against the schema derived
//! from the model (every unknown field, missing field and wrong type at
//! once, in the editor's terms), then parsed, then validated.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::source::{Format, SourceMap};
use super::validate::validate;
use super::{LoadedReport, Report};
use crate::exit::Failure;
use jsonschema::JsonType;
use jsonschema::error::TypeKind;

use crate::findings::{DataLocation, FieldPath, Finding, Segment};

/// Reads, parses and validates a report file. A file that cannot be read
/// at all fails as [`Failure::CannotRun`]; every error in its data, as
/// [`Failure::Report`].
pub fn load(path: &Path) -> Result<LoadedReport, Failure> {
    // The schema's validator is built while the file is read and parsed.
    if VALIDATOR.get().is_none() {
        rayon::spawn(|| {
            validator();
        });
    }
    let bytes = read_file(path)?;
    read(path, bytes).map_err(Failure::Report)
}

/// The bytes of the report file: only a regular file, and only so much of
/// it (a FIFO, a device or a runaway file never hangs or exhausts the
/// machine).
fn read_file(path: &Path) -> Result<Vec<u8>, Failure> {
    let shown = path.to_path_buf();
    let cannot = |message: String| Failure::CannotRun(vec![file_error(&shown, message)]);
    let meta =
        std::fs::metadata(path).map_err(|err| cannot(format!("cannot read the report: {err}")))?;
    if !meta.is_file() {
        return Err(cannot("the report is not a regular file".to_string()));
    }
    if meta.len() > MAX_DATA_BYTES {
        return Err(Failure::Report(vec![file_error(
            &shown,
            format!(
                "the report is {} MB; a report holds at most {} MB of data (photos are files beside it)",
                meta.len() / 1_000_000,
                MAX_DATA_BYTES / 1_000_000
            ),
        )]));
    }
    crate::files::read_at_most(path, meta.len(), MAX_DATA_BYTES)
        .map_err(|err| cannot(format!("cannot read the report: {err}")))
}

/// The report's text, with positions: its format from its name, UTF-8,
/// without a byte-order mark some editors write.
fn source_of(path: &Path, bytes: Vec<u8>) -> Result<SourceMap, Vec<Finding>> {
    let shown = path.to_path_buf();
    let format = Format::of(path).ok_or_else(|| {
        vec![file_error(
            &shown,
            "a report must be a .toml or .json file".to_string(),
        )]
    })?;
    let text = String::from_utf8(bytes).map_err(|err| {
        vec![file_error(
            &shown,
            format!(
                "the report is not UTF-8 text (invalid byte at offset {})",
                err.utf8_error().valid_up_to()
            ),
        )]
    })?;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    Ok(SourceMap::new(shown, text, format))
}

/// The folder a report's photos are named from.
fn folder_of(path: &Path) -> std::path::PathBuf {
    path.parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// What can still be checked of a report whose data has errors (an
/// unknown field, a wrong type): its text, and every text it prints with
/// its field path, so that the lint and the glyph check still run and a
/// check lists every problem at once. `None` when the file is not even
/// TOML or JSON.
pub struct Partial {
    /// The data file's text, with positions.
    pub source: SourceMap,
    /// Each printed text, by field path.
    pub texts: Vec<(FieldPath, String)>,
    /// The report's folder, where its photos are.
    pub root: std::path::PathBuf,
    /// Each photo's `file`, in order (empty where it is not text).
    pub photos: Vec<String>,
}

/// Reads what [`Partial`] holds, under the same limits as [`load`].
pub fn partial(path: &Path) -> Option<Partial> {
    let source = source_of(path, read_file(path).ok()?).ok()?;
    let value = as_json(&source).ok()?;
    let mut texts = Vec::new();
    printed(&value, FieldPath::root(), None, &mut texts);
    let photos = value
        .get("photos")
        .and_then(|p| p.as_array())
        .map(|photos| {
            photos
                .iter()
                .map(|p| {
                    p.get("file")
                        .and_then(|f| f.as_str())
                        .unwrap_or("")
                        .to_string()
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Partial {
        source,
        texts,
        root: folder_of(path),
        photos,
    })
}

/// The fields whose strings the layouts print.
const PRINTED: &[&str] = &[
    "name",
    "label",
    "editors",
    "kicker",
    "title",
    "subtitle",
    "lede",
    "text",
    "photos",
    "headline",
    "subhead",
    "paragraphs",
    "quote",
    "period",
    "caption",
    "credit",
    "value",
    "unit",
];

/// Every string of `value` under a printed field, by path.
fn printed(
    value: &serde_json::Value,
    at: FieldPath,
    key: Option<&str>,
    out: &mut Vec<(FieldPath, String)>,
) {
    match value {
        serde_json::Value::String(text) if key.is_some_and(|k| PRINTED.contains(&k)) => {
            out.push((at, text.clone()));
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                printed(item, at.index(i), key, out);
            }
        }
        serde_json::Value::Object(members) => {
            for (name, member) in members {
                printed(member, at.key(name), Some(name), out);
            }
        }
        _ => {}
    }
}

/// The largest report file read: ten times a year's worth of feature pages.
pub const MAX_DATA_BYTES: u64 = 8_000_000;

/// Parses and validates the bytes of the report file at `path`.
fn read(path: &Path, bytes: Vec<u8>) -> Result<LoadedReport, Vec<Finding>> {
    read_in(path, bytes, folder_of(path))
}

/// A report from `bytes` as if read from `path`, its photos read from
/// `root` — `banmian verify` reads the data an archived PDF carries, with
/// the photos beside the PDF.
pub fn load_from(path: &Path, bytes: Vec<u8>, root: &Path) -> Result<LoadedReport, Failure> {
    if bytes.len() as u64 > MAX_DATA_BYTES {
        return Err(Failure::Report(vec![file_error(
            path,
            format!(
                "the report holds more than {} MB",
                MAX_DATA_BYTES / 1_000_000
            ),
        )]));
    }
    read_in(path, bytes, root.to_path_buf()).map_err(Failure::Report)
}

fn read_in(path: &Path, bytes: Vec<u8>, root: PathBuf) -> Result<LoadedReport, Vec<Finding>> {
    let original = Arc::from(bytes.as_slice());
    let source = source_of(path, bytes)?;
    // Every error in the data at once: the schema finds all unknown and
    // missing fields and wrong types; serde then only parses.
    let schema_errors = check_schema(&source)?;
    if !schema_errors.is_empty() {
        return Err(schema_errors);
    }
    let report = parse(&source)?;
    let loaded = LoadedReport {
        report,
        path: path.to_path_buf(),
        root,
        source,
        bytes: original,
    };
    let errors = validate(&loaded);
    if errors.is_empty() {
        Ok(loaded)
    } else {
        Err(errors)
    }
}

/// The JSON Schema of the report format, derived from the model.
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Report)).expect("the schema serialises")
}

/// The data as a JSON value; the error is a syntax error, located.
fn as_json(source: &SourceMap) -> Result<serde_json::Value, Vec<Finding>> {
    match source.format() {
        Format::Toml => {
            let value: toml::Value = toml::from_str(source.text()).map_err(|err| {
                vec![source.error_at(err.span(), FieldPath::root(), toml_message(err.message()))]
            })?;
            Ok(serde_json::to_value(value).expect("TOML values are JSON values"))
        }
        Format::Json => serde_json::from_str(source.text()).map_err(|err| {
            let offset = source.offset_of_line_byte(err.line(), err.column());
            vec![source.error_at(
                offset.map(|o| o..o),
                FieldPath::root(),
                strip_json_position(&err.to_string()),
            )]
        }),
    }
}

static VALIDATOR: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();

/// The schema's validator, built once per process (by the first to ask;
/// any other waits for it). It validates by draft 7's rules, which the
/// derived schema keeps to (beside a `$ref` it has only descriptions and
/// defaults), while it declares 2020-12 for editors: draft 7's meta-schema
/// builds in half the time (0.6 against 1.1–1.8 ms).
fn validator() -> &'static jsonschema::Validator {
    VALIDATOR.get_or_init(|| {
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .build(&schema())
            .expect("the derived schema is valid")
    })
}

/// Every place the data breaks the schema, located, in the order they
/// appear in the file.
fn check_schema(source: &SourceMap) -> Result<Vec<Finding>, Vec<Finding>> {
    use jsonschema::error::ValidationErrorKind as Kind;
    // Parsed before the validator is asked for: it may still be building
    // on another thread (see `load`).
    let value = as_json(source)?;
    let validator = validator();
    let mut found: Vec<Finding> = Vec::new();
    for error in validator.iter_errors(&value) {
        let at = json_pointer(&error.instance_path().to_string());
        match error.kind() {
            Kind::AdditionalProperties { unexpected } => {
                for key in unexpected {
                    let path = at.key(key);
                    let mut finding =
                        Finding::error("data-unknown-field", format!("unknown field `{key}`"))
                            .at(source.locate_key(&path));
                    if let Some(near) = nearest_field(&at, key) {
                        finding = finding.hint(format!("did you mean `{near}`?"));
                    }
                    found.push(finding);
                }
            }
            Kind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                found.push(
                    Finding::error("data-missing-field", format!("missing field `{name}`"))
                        .at(source.locate(&at)),
                );
            }
            Kind::Type { kind } => {
                let expected: Vec<&str> = match kind {
                    TypeKind::Single(one) => vec![in_words(*one)],
                    TypeKind::Multiple(set) => set
                        .iter()
                        .filter(|t| *t != JsonType::Null)
                        .map(in_words)
                        .collect(),
                };
                let field = match at.segments().last() {
                    Some(Segment::Key(key)) => format!("`{key}` "),
                    _ => String::new(),
                };
                let message = format!(
                    "{field}must be {}, not {}",
                    expected.join(" or "),
                    source.written(&at)
                );
                let mut finding = Finding::error("data-type", message).at(source.locate(&at));
                let written = source.written(&at);
                if matches!(kind, TypeKind::Single(JsonType::String)) && !written.starts_with("`\"")
                {
                    let bare = written.trim_matches('`');
                    finding = finding.hint(format!("write it in quotes: \"{bare}\""));
                }
                found.push(finding);
            }
            // Title and headlines: one line, or a list of lines.
            Kind::OneOfNotValid { .. } => {
                let field = match at.segments().last() {
                    Some(Segment::Key(key)) => format!("`{key}` "),
                    _ => String::new(),
                };
                let message = format!(
                    "{field}must be text in quotes, or a list in [ ] of lines in quotes, not {}",
                    source.written(&at)
                );
                found.push(Finding::error("data-type", message).at(source.locate(&at)));
            }
            _ => found.push(Finding::error("data-type", error.to_string()).at(source.locate(&at))),
        }
    }
    found.sort_by_key(|f| {
        f.data
            .as_ref()
            .and_then(|d| d.span.as_ref().map(|s| s.start))
            .unwrap_or(0)
    });
    Ok(found)
}

/// A TOML parser's message, or what it means when it has none (a
/// character TOML does not allow, such as a raw control character).
fn toml_message(message: &str) -> String {
    let message = message.trim();
    if message.is_empty() {
        "this is not valid TOML here: a character TOML does not allow (a control character?)"
            .to_string()
    } else {
        message.to_string()
    }
}

/// A JSON Schema type in the editor's words.
fn in_words(kind: JsonType) -> &'static str {
    match kind {
        JsonType::Integer => "a whole number",
        JsonType::Number => "a number",
        JsonType::String => "text in quotes",
        JsonType::Array => "a list in [ ]",
        JsonType::Object => "a table",
        JsonType::Boolean => "true or false",
        JsonType::Null => "left out",
    }
}

/// Parses `/sections/2/paragraphs` into a field path.
pub fn json_pointer(text: &str) -> FieldPath {
    text.split('/')
        .filter(|s| !s.is_empty())
        .fold(FieldPath::root(), |path, segment| {
            match segment.parse::<usize>() {
                Ok(index) => path.index(index),
                Err(_) => path.key(&segment.replace("~1", "/").replace("~0", "~")),
            }
        })
}

/// The field of the object at `at` whose name is closest to a mistyped
/// `key`, if one is close.
fn nearest_field(at: &FieldPath, key: &str) -> Option<String> {
    let schema = schema();
    let mut node = &schema;
    let defs = schema.get("$defs");
    for segment in at.segments() {
        // Down the schema by properties and array items, through $refs.
        node = match segment {
            Segment::Key(k) => node.get("properties")?.get(k)?,
            Segment::Index(_) => node.get("items")?,
        };
        if let Some(reference) = node.get("$ref").and_then(|r| r.as_str()) {
            node = defs?.get(reference.rsplit('/').next()?)?;
        }
    }
    let fields = node.get("properties")?.as_object()?;
    fields
        .keys()
        .map(|name| (strsim::levenshtein(name, key), name))
        .filter(|(d, name)| *d <= 2.max(name.len() / 3))
        .min()
        .map(|(_, name)| name.clone())
}

/// An error about the data file as a whole.
fn file_error(file: &Path, message: String) -> Finding {
    Finding::error("data-file", message).at(DataLocation {
        file: file.to_path_buf(),
        path: None,
        span: None,
        line_col: None,
        text: None,
    })
}

/// Parses the text into the model; the error names the field path.
fn parse(source: &SourceMap) -> Result<Report, Vec<Finding>> {
    match source.format() {
        Format::Toml => {
            let de = toml::Deserializer::new(source.text());
            serde_path_to_error::deserialize(de).map_err(|err| {
                let path = FieldPath::from_serde(err.path());
                let inner = err.into_inner();
                let message = inner.message().to_string();
                vec![source.error_at(inner.span(), path, message)]
            })
        }
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(source.text());
            let result: Result<Report, _> = serde_path_to_error::deserialize(&mut de);
            let report = result.map_err(|err| {
                let path = FieldPath::from_serde(err.path());
                let inner = err.into_inner();
                let offset = source.offset_of_line_byte(inner.line(), inner.column());
                let message = strip_json_position(&inner.to_string());
                vec![source.error_at(offset.map(|o| o..o), path, message)]
            })?;
            de.end().map_err(|err| {
                let offset = source.offset_of_line_byte(err.line(), err.column());
                vec![source.error_at(
                    offset.map(|o| o..o),
                    FieldPath::root(),
                    strip_json_position(&err.to_string()),
                )]
            })?;
            Ok(report)
        }
    }
}

/// serde_json appends " at line L column C"; we print the position ourselves.
fn strip_json_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Map, Value, json};

    /// Every report one change away from `value`: each object given an
    /// unknown field, each field taken out, each value replaced by one of
    /// every other kind (and each number by one out of range).
    fn variants(value: &Value) -> Vec<Value> {
        let others = |original: &Value| -> Vec<Value> {
            [
                json!(null),
                json!(true),
                json!(7),
                json!(-1),
                json!(300),
                json!(70000),
                json!(3.5),
                json!("x"),
                json!(""),
                json!([]),
                json!(["x"]),
                json!([7]),
                json!({}),
            ]
            .into_iter()
            .filter(|v| v != original)
            .collect()
        };
        let mut out = Vec::new();
        match value {
            Value::Object(map) => {
                let mut extra = map.clone();
                extra.insert("unknown_field".into(), json!(1));
                out.push(Value::Object(extra));
                for (key, inner) in map {
                    let mut without = map.clone();
                    without.remove(key);
                    out.push(Value::Object(without));
                    for changed in others(inner).into_iter().chain(variants(inner)) {
                        let mut with: Map<String, Value> = map.clone();
                        with.insert(key.clone(), changed);
                        out.push(Value::Object(with));
                    }
                }
            }
            Value::Array(items) => {
                for (i, inner) in items.iter().enumerate() {
                    for changed in others(inner).into_iter().chain(variants(inner)) {
                        let mut with = items.clone();
                        with[i] = changed;
                        out.push(Value::Array(with));
                    }
                }
            }
            _ => {}
        }
        out
    }

    /// The loader validates by draft 7's rules a schema that declares
    /// 2020-12: the two must find the same errors, at the same places, in
    /// every report one change away from the example.
    #[test]
    fn draft_7_finds_what_2020_12_finds() {
        let text = include_str!("../../data/zhongzhan-2020.toml");
        let example =
            serde_json::to_value(toml::from_str::<toml::Value>(text).expect("the example"))
                .unwrap();
        let declared = jsonschema::validator_for(&schema()).expect("the schema");
        let errors = |validator: &jsonschema::Validator, value: &Value| -> Vec<String> {
            validator
                .iter_errors(value)
                .map(|e| format!("{} at {}", e.kind().keyword(), e.instance_path()))
                .collect()
        };
        let (mut tried, mut refused) = (0, 0);
        for variant in variants(&example) {
            let found = errors(validator(), &variant);
            assert_eq!(found, errors(&declared, &variant), "{variant}");
            tried += 1;
            refused += usize::from(!found.is_empty());
        }
        // The variants reach every part of the model, and most break it.
        assert!(tried > 2000 && refused > tried / 2, "{refused} of {tried}");
    }
}
