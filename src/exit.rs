//! How a command ends: the exit codes, stated once, and the failure kinds
//! that decide them. Every command maps the same failure to the same code.

use crate::findings::Finding;

/// A command's exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done; the report has no error (warnings and notes may be printed).
    Success,
    /// 1: the report has errors, breaks a page rule, or (with `--strict`)
    /// has warnings; nothing was written.
    Refused,
    /// 2: the command could not run: a bad argument, a data file that
    /// cannot be read, an output that cannot be written.
    CannotRun,
}

impl Exit {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Refused => 1,
            Exit::CannotRun => 2,
        }
    }

    /// The exit of a code [`Exit::code`] gave; any other code is
    /// `CannotRun`.
    pub fn from_code(code: u8) -> Self {
        match code {
            0 => Exit::Success,
            1 => Exit::Refused,
            _ => Exit::CannotRun,
        }
    }
}

/// Why a step stopped short, with what it found.
#[derive(Debug, Clone)]
pub enum Failure {
    /// The report has errors.
    Report(Vec<Finding>),
    /// The command could not run: the data file unreadable, an output not
    /// writable.
    CannotRun(Vec<Finding>),
}

impl Failure {
    /// How the command ends.
    pub fn exit(&self) -> Exit {
        match self {
            Failure::Report(_) => Exit::Refused,
            Failure::CannotRun(_) => Exit::CannotRun,
        }
    }

    /// What was found.
    pub fn findings(&self) -> &[Finding] {
        match self {
            Failure::Report(found) | Failure::CannotRun(found) => found,
        }
    }
}

impl From<Failure> for Vec<Finding> {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Report(found) | Failure::CannotRun(found) => found,
        }
    }
}
