//! The data file's text and a way back from a field path to the bytes that
//! wrote it, so that errors found after parsing (a photo missing, a glyph no
//! font has, a story that overflows) still point at line:column.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::findings::{DataLocation, FieldPath, Finding, Segment};

/// The two data formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML, the format editors write by hand.
    Toml,
    /// JSON, for generated reports.
    Json,
}

impl Format {
    /// The format a file's extension says.
    pub fn of(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// The report's source text, its format, and a parsed syntax tree with spans.
pub struct SourceMap {
    file: PathBuf,
    text: Arc<str>,
    format: Format,
    toml: Option<toml_edit::ImDocument<String>>,
    /// For JSON, each value's span by its path (`/sections/2`), from one
    /// parse.
    json: HashMap<Vec<Segment>, Range<usize>>,
    /// For JSON, each member's name's span by the member's path.
    json_keys: HashMap<Vec<Segment>, Range<usize>>,
}

impl SourceMap {
    /// Keeps the text and, for TOML, a span-carrying document.
    pub fn new(file: PathBuf, text: String, format: Format) -> Self {
        let toml = match format {
            Format::Toml => toml_edit::ImDocument::parse(text.clone()).ok(),
            Format::Json => None,
        };
        let (json, json_keys) = match format {
            Format::Json => json_spans(&text),
            Format::Toml => (HashMap::new(), HashMap::new()),
        };
        Self {
            file,
            text: Arc::from(text),
            format,
            toml,
            json,
            json_keys,
        }
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// TOML or JSON.
    pub fn format(&self) -> Format {
        self.format
    }

    /// A location for a byte span (or none) and a field path.
    pub fn location(&self, span: Option<Range<usize>>, path: Option<FieldPath>) -> DataLocation {
        let line_col = span.as_ref().map(|span| self.line_col(span.start));
        DataLocation {
            file: self.file.clone(),
            path,
            span,
            line_col,
            text: Some(self.text.clone()),
        }
    }

    /// A data error at a known span.
    pub fn error_at(
        &self,
        span: Option<Range<usize>>,
        path: FieldPath,
        message: String,
    ) -> Finding {
        let code = classify(&message);
        let path = (!path.segments().is_empty()).then_some(path);
        Finding::error(code, message).at(self.location(span, path))
    }

    /// A data error at a field, located through the syntax tree.
    pub fn error_at_path(&self, path: &FieldPath, message: String) -> Finding {
        Finding::error("data-value", message).at(self.locate(path))
    }

    /// The location of a field's value.
    pub fn locate(&self, path: &FieldPath) -> DataLocation {
        self.location(self.span_of(path), Some(path.clone()))
    }

    /// The value at `path` as the editor wrote it, in backticks (shortened
    /// past 40 characters), for messages.
    pub fn written(&self, path: &FieldPath) -> String {
        let Some(span) = self.span_of(path) else {
            return "what is written there".to_string();
        };
        let text = self.text[span].trim();
        let short: String = text.chars().take(40).collect();
        if short.len() < text.len() {
            format!("`{short}…`")
        } else {
            format!("`{short}`")
        }
    }

    /// The location of a member's key (`paragrahps` in `paragrahps = […]`),
    /// or of its value when the key cannot be found.
    pub fn locate_key(&self, path: &FieldPath) -> DataLocation {
        let key = match self.format {
            Format::Toml => self
                .toml
                .as_ref()
                .and_then(|doc| toml_key_span(doc, path.segments())),
            Format::Json => self.json_keys.get(path.segments()).cloned(),
        };
        self.location(key.or_else(|| self.span_of(path)), Some(path.clone()))
    }

    /// The location of one character inside a string field: the first
    /// occurrence of `ch` in the value as written (escapes aside, a TOML or
    /// JSON string is written as it reads).
    pub fn locate_char(&self, path: &FieldPath, ch: char) -> DataLocation {
        let span = self.span_of(path).map(|span| {
            let written = &self.text[span.clone()];
            match written.find(ch) {
                Some(offset) => span.start + offset..span.start + offset + ch.len_utf8(),
                None => span,
            }
        });
        self.location(span, Some(path.clone()))
    }

    /// The location of the `index`th character of a string field whose
    /// value is `text`: exact when the string is written without escapes
    /// (as editors write Chinese), else the field itself.
    pub fn locate_nth(&self, path: &FieldPath, text: &str, index: usize) -> DataLocation {
        let span = self.span_of(path).map(|span| {
            let written = &self.text[span.clone()];
            let Some(at) = written.find(text) else {
                return span;
            };
            let offset = text.char_indices().nth(index).map_or(0, |(o, _)| o);
            let c = text[offset..].chars().next().map_or(1, char::len_utf8);
            let start = span.start + at + offset;
            start..start + c
        });
        self.location(span, Some(path.clone()))
    }

    /// The byte span of a field's value, or of the nearest ancestor found.
    pub fn span_of(&self, path: &FieldPath) -> Option<Range<usize>> {
        match self.format {
            Format::Toml => self
                .toml
                .as_ref()
                .and_then(|doc| toml_span(doc, path.segments())),
            // The deepest value of the path that the file has.
            Format::Json => (0..=path.segments().len())
                .rev()
                .find_map(|n| self.json.get(&path.segments()[..n]).cloned()),
        }
    }

    /// 1-based line and column (counted in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }

    /// The byte offset of a 1-based line and a 1-based column counted in
    /// bytes, as serde_json reports them (clamped to a character's start).
    pub fn offset_of_line_byte(&self, line: usize, column: usize) -> Option<usize> {
        if line == 0 {
            return None;
        }
        let mut start = 0;
        for _ in 1..line {
            start += self.text[start..].find('\n')? + 1;
        }
        let end = start
            + self.text[start..]
                .find('\n')
                .unwrap_or(self.text.len() - start);
        let mut offset = (start + column.saturating_sub(1)).min(end);
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        Some(offset)
    }
}

/// Sorts serde's messages into stable codes.
fn classify(message: &str) -> &'static str {
    if message.starts_with("unknown field") {
        "data-unknown-field"
    } else if message.starts_with("missing field") {
        "data-missing-field"
    } else if message.starts_with("invalid type")
        || message.starts_with("invalid value")
        || message.starts_with("invalid length")
        || message.starts_with("unknown variant")
    {
        "data-type"
    } else {
        "data-syntax"
    }
}

/// Walks a TOML document down a path; stops at the deepest item found.
fn toml_span(doc: &toml_edit::ImDocument<String>, path: &[Segment]) -> Option<Range<usize>> {
    use toml_edit::Item;
    let mut item: &Item = doc.as_item();
    let mut span = None;
    for segment in path {
        let next = match (segment, item) {
            (Segment::Key(key), Item::Table(table)) => table.get(key),
            (Segment::Key(key), Item::Value(toml_edit::Value::InlineTable(table))) => {
                table.get(key).map(|_| &item[key.as_str()])
            }
            (Segment::Index(i), Item::ArrayOfTables(array)) => array.get(*i).map(|_| &item[*i]),
            (Segment::Index(i), Item::Value(toml_edit::Value::Array(array))) => {
                array.get(*i).map(|_| &item[*i])
            }
            _ => None,
        };
        match next {
            Some(found) => {
                item = found;
                span = item.span().or(span);
            }
            None => break,
        }
    }
    span
}

/// Every value of a JSON text with its span, by its path; and every
/// member's name's span, by the member's path.
type Spans = HashMap<Vec<Segment>, Range<usize>>;

fn json_spans(text: &str) -> (Spans, Spans) {
    use jsonc_parser::ast::Value;
    use jsonc_parser::common::Ranged;
    fn walk(value: &Value, path: &mut Vec<Segment>, out: &mut (Spans, Spans)) {
        let range = value.range();
        out.0.insert(path.clone(), range.start..range.end);
        match value {
            Value::Object(object) => {
                for property in &object.properties {
                    path.push(Segment::Key(property.name.as_str().to_string()));
                    let name = property.name.range();
                    out.1.insert(path.clone(), name.start..name.end);
                    walk(&property.value, path, out);
                    path.pop();
                }
            }
            Value::Array(array) => {
                for (i, element) in array.elements.iter().enumerate() {
                    path.push(Segment::Index(i));
                    walk(element, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = (HashMap::new(), HashMap::new());
    let parsed = jsonc_parser::parse_to_ast(
        text,
        &jsonc_parser::CollectOptions::default(),
        &jsonc_parser::ParseOptions::default(),
    );
    if let Ok(parsed) = parsed
        && let Some(value) = &parsed.value
    {
        walk(value, &mut Vec::new(), &mut out);
    }
    out
}

/// The span of the key of the member at `path` in a TOML document.
fn toml_key_span(doc: &toml_edit::ImDocument<String>, path: &[Segment]) -> Option<Range<usize>> {
    use toml_edit::Item;
    let (Segment::Key(key), parent) = path.split_last()? else {
        return None;
    };
    let mut item: &Item = doc.as_item();
    for segment in parent {
        item = match (segment, item) {
            (Segment::Key(k), Item::Table(table)) => table.get(k)?,
            (Segment::Key(k), Item::Value(toml_edit::Value::InlineTable(table))) => {
                table.get(k).map(|_| &item[k.as_str()])?
            }
            (Segment::Index(i), Item::ArrayOfTables(array)) => array.get(*i).map(|_| &item[*i])?,
            (Segment::Index(i), Item::Value(toml_edit::Value::Array(array))) => {
                array.get(*i).map(|_| &item[*i])?
            }
            _ => return None,
        };
    }
    match item {
        Item::Table(table) => table.key(key)?.span(),
        Item::Value(toml_edit::Value::InlineTable(table)) => table.key(key)?.span(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = "title = \"中站区\"\n\n[[sections]]\nheadline = [\"甲\", \"乙\"]\nparagraphs = [\"一二三\"]\n";

    #[test]
    fn toml_paths_resolve_to_their_values() {
        let map = SourceMap::new("a.toml".into(), TOML.into(), Format::Toml);
        let path = FieldPath::root()
            .key("sections")
            .index(0)
            .key("headline")
            .index(1);
        let span = map.span_of(&path).unwrap();
        assert_eq!(&TOML[span.clone()], "\"乙\"");
        assert_eq!(map.line_col(span.start), (4, 18));
    }

    #[test]
    fn json_paths_resolve_to_their_values() {
        let json = "{\n  \"sections\": [\n    {\"paragraphs\": [\"a\", \"bc\"]}\n  ]\n}";
        let map = SourceMap::new("a.json".into(), json.into(), Format::Json);
        let path = FieldPath::root()
            .key("sections")
            .index(0)
            .key("paragraphs")
            .index(1);
        let span = map.span_of(&path).unwrap();
        assert_eq!(&json[span.clone()], "\"bc\"");
        assert_eq!(map.line_col(span.start), (3, 26));
    }

    #[test]
    fn a_character_is_found_inside_its_string() {
        let map = SourceMap::new("a.toml".into(), TOML.into(), Format::Toml);
        let path = FieldPath::root()
            .key("sections")
            .index(0)
            .key("paragraphs")
            .index(0);
        let location = map.locate_char(&path, '三');
        assert_eq!(location.line_col, Some((5, 18)));
    }

    #[test]
    fn line_and_column_round_trip() {
        let map = SourceMap::new("a.toml".into(), TOML.into(), Format::Toml);
        let offset = map.offset_of_line_byte(4, 3).unwrap();
        assert_eq!(map.line_col(offset), (4, 3));
    }
}
