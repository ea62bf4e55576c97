//! Findings: every problem banmian reports, with what it is, how bad, and
//! where (in the data file, and on the page where that applies).

use std::fmt::{self, Display, Write as _};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The output cannot be trusted; nothing is written.
    Error,
    /// Worth a look; the output is still written.
    Warning,
    /// What banmian did on its own (a copyfit adjustment): for the record.
    Note,
}

/// A path to a field in the report, printed as a JSON pointer
/// (`/sections/2/paragraphs/0`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldPath(Vec<Segment>);

/// One step of a [`FieldPath`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// A table key or object member.
    Key(String),
    /// An array element.
    Index(usize),
}

impl FieldPath {
    /// The whole report.
    pub fn root() -> Self {
        Self::default()
    }

    /// This path, one key deeper.
    pub fn key(&self, key: &str) -> Self {
        let mut path = self.clone();
        path.0.push(Segment::Key(key.to_string()));
        path
    }

    /// This path, one array element deeper.
    pub fn index(&self, index: usize) -> Self {
        let mut path = self.clone();
        path.0.push(Segment::Index(index));
        path
    }

    /// The steps of the path.
    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    /// Converts the path serde_path_to_error tracked during parsing.
    pub fn from_serde(path: &serde_path_to_error::Path) -> Self {
        use serde_path_to_error::Segment as S;
        let mut out = Self::root();
        for segment in path.iter() {
            out = match segment {
                S::Seq { index } => out.index(*index),
                S::Map { key } | S::Enum { variant: key } => out.key(key),
                S::Unknown => break,
            };
        }
        out
    }
}

impl Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("/");
        }
        for segment in &self.0 {
            match segment {
                Segment::Key(key) => write!(f, "/{key}")?,
                Segment::Index(index) => write!(f, "/{index}")?,
            }
        }
        Ok(())
    }
}

/// Where in the data file a finding points.
#[derive(Debug, Clone)]
pub struct DataLocation {
    /// The data file as the user named it.
    pub file: PathBuf,
    /// The field, when one is known.
    pub path: Option<FieldPath>,
    /// Byte range in the file, when one is known.
    pub span: Option<Range<usize>>,
    /// 1-based line and column (in characters) of the span's start.
    pub line_col: Option<(usize, usize)>,
    /// The file's text, for the snippet.
    pub text: Option<Arc<str>>,
}

/// Where on the laid-out page a finding lands.
#[derive(Debug, Clone, PartialEq)]
pub struct PageLocation {
    /// The layout (newspaper, brochure).
    pub layout: String,
    /// 1-based page number.
    pub page: usize,
    /// 1-based column of the newspaper page's 8, where that applies.
    pub column: Option<usize>,
}

/// One problem, located.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// A stable code, e.g. `data-unknown-field`.
    pub code: &'static str,
    /// What is wrong, in plain words.
    pub message: String,
    /// Where in the data.
    pub data: Option<DataLocation>,
    /// Where on the page.
    pub page: Option<PageLocation>,
    /// What to do about it.
    pub hints: Vec<String>,
}

impl Finding {
    /// An error with a code and message and no location yet.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            data: None,
            page: None,
            hints: Vec::new(),
        }
    }

    /// A warning with a code and message and no location yet.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, message)
        }
    }

    /// A note with a code and message and no location yet.
    pub fn note(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Note,
            ..Self::error(code, message)
        }
    }

    /// Points the finding at the data file.
    pub fn at(mut self, data: DataLocation) -> Self {
        self.data = Some(data);
        self
    }

    /// Points the finding at a page.
    pub fn on_page(mut self, page: PageLocation) -> Self {
        self.page = Some(page);
        self
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The finding as one object of the JSON output (schemas/findings.json).
    pub fn to_json(&self) -> serde_json::Value {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        let mut object = serde_json::json!({
            "severity": severity,
            "code": self.code,
            "message": self.message,
            "hints": self.hints,
        });
        if let Some(data) = &self.data {
            object["file"] = data.file.display().to_string().into();
            if let Some((line, column)) = data.line_col {
                object["line"] = line.into();
                object["column"] = column.into();
            }
            if let Some(path) = &data.path {
                object["path"] = path.to_string().into();
            }
        }
        if let Some(page) = &self.page {
            object["page"] = serde_json::json!({ "layout": page.layout, "page": page.page, "column": page.column });
        }
        object
    }

    /// The one-line form: `file:line:col: error[code]: message (field /a/b)`.
    pub fn headline(&self) -> String {
        let mut out = String::new();
        if let Some(data) = &self.data {
            let _ = write!(out, "{}", data.file.display());
            if let Some((line, col)) = data.line_col {
                let _ = write!(out, ":{line}:{col}");
            }
            out.push_str(": ");
        }
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        let _ = write!(
            out,
            "{level}[{}]: {}",
            self.code,
            crate::cjk::escaped(&self.message)
        );
        if let Some(path) = self.data.as_ref().and_then(|d| d.path.as_ref()) {
            let _ = write!(out, " (field {path})");
        }
        if let Some(page) = &self.page {
            let _ = write!(out, " (on {} page {})", page.layout, page.page);
        }
        out
    }
}

/// Prints findings to stderr: the one-line form, then a snippet of the data
/// file with the span underlined (coloured on a terminal only), then hints.
pub fn print(findings: &[Finding]) {
    let choice = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        termcolor::ColorChoice::Auto
    } else {
        termcolor::ColorChoice::Never
    };
    let mut stderr = termcolor::StandardStream::stderr(choice);
    let config = term::Config::default();
    for finding in findings {
        // With a span: rustc-style, the snippet under the message. Without:
        // the one-line form.
        match &finding.data {
            // Notes stay on one line: they record, they do not ask.
            Some(_) if finding.severity == Severity::Note => {
                let _ = writeln!(WriteAdapter(&mut stderr), "{}", finding.headline());
            }
            Some(DataLocation {
                span: Some(span),
                text: Some(text),
                file,
                path,
                ..
            }) => {
                // What the data holds is shown, never obeyed: control
                // characters print as visible stand-ins.
                let shown = crate::cjk::visible(text);
                let file = SimpleFile::new(file.display().to_string(), shown.as_str());
                let diagnostic = match finding.severity {
                    Severity::Error => Diagnostic::error(),
                    Severity::Warning => Diagnostic::warning(),
                    Severity::Note => Diagnostic::note(),
                };
                let mut label = Label::primary((), span.clone());
                if let Some(path) = path {
                    label = label.with_message(format!("field {path}"));
                }
                let mut notes = Vec::new();
                if let Some(page) = &finding.page {
                    notes.push(format!("on {} page {}", page.layout, page.page));
                }
                let diagnostic = diagnostic
                    .with_code(finding.code)
                    .with_message(crate::cjk::escaped(&finding.message))
                    .with_labels(vec![label])
                    .with_notes(notes);
                let _ = term::emit_to_write_style(&mut stderr, &config, &file, &diagnostic);
            }
            _ => {
                let _ = writeln!(WriteAdapter(&mut stderr), "{}", finding.headline());
            }
        }
        for hint in &finding.hints {
            let hint = crate::cjk::escaped(hint);
            let _ = writeln!(WriteAdapter(&mut stderr), "  = hint: {hint}");
        }
    }
}

/// Lets `writeln!` target a termcolor stream.
struct WriteAdapter<'a, W: std::io::Write>(&'a mut W);

impl<W: std::io::Write> fmt::Write for WriteAdapter<'_, W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.write_all(s.as_bytes()).map_err(|_| fmt::Error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths_print_as_json_pointers() {
        let path = FieldPath::root()
            .key("sections")
            .index(2)
            .key("paragraphs")
            .index(0);
        assert_eq!(path.to_string(), "/sections/2/paragraphs/0");
        assert_eq!(FieldPath::root().to_string(), "/");
    }

    #[test]
    fn headline_names_file_position_code_and_field() {
        let finding = Finding::error("data-type", "expected a string").at(DataLocation {
            file: "data/a.toml".into(),
            path: Some(FieldPath::root().key("title")),
            span: Some(0..1),
            line_col: Some((3, 9)),
            text: None,
        });
        assert_eq!(
            finding.headline(),
            "data/a.toml:3:9: error[data-type]: expected a string (field /title)"
        );
    }
}
