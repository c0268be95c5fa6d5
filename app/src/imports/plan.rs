//! What a checked file comes to: its good rows (each with what it would do) and its bad rows
//! (each with every problem), and the preview summing both up.

use super::columns::{Column, Layout, Need};
use super::{ImportReport, Match, Preview, Problem, LISTED};
use crate::error::FieldErrors;

/// A row that will not be imported, as the errors download shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    pub number: usize,
    /// The row's cells in the order of the template's columns.
    pub values: Vec<String>,
    pub problems: Vec<Problem>,
}

impl BadRow {
    /// The "What to fix" cell: every problem of the row, one per line.
    pub fn what_to_fix(&self) -> String {
        self.problems
            .iter()
            .map(|p| format!("{}: {}", p.column, p.message))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[derive(Debug)]
pub struct Plan<R> {
    pub good: Vec<R>,
    pub bad: Vec<BadRow>,
    pub preview: Preview,
}

impl<R> Plan<R> {
    pub fn new(file_name: &str, rows: usize, ignored: Vec<String>) -> Self {
        Plan {
            good: Vec::new(),
            bad: Vec::new(),
            preview: Preview {
                file_name: file_name.to_string(),
                rows,
                ignored_columns: ignored,
                ..Preview::default()
            },
        }
    }

    pub fn reject(&mut self, row: BadRow) {
        self.preview.bad_rows += 1;
        self.preview.problem_count += row.problems.len();
        let room = LISTED.saturating_sub(self.preview.problems.len());
        self.preview
            .problems
            .extend(row.problems.iter().take(room).cloned());
        self.bad.push(row);
    }

    /// The report of an import of this plan before anything is written: the bad rows left out.
    pub fn report(&self) -> ImportReport {
        ImportReport {
            left_out: self.bad.len(),
            ..ImportReport::default()
        }
    }

    pub fn matched(&mut self, found: Match) {
        self.preview.existing += 1;
        if self.preview.matches.len() < LISTED {
            self.preview.matches.push(found);
        }
    }
}

/// The problems of one row, gathered column by column.
pub struct RowProblems<'a> {
    pub columns: &'a [Column],
    pub number: usize,
    pub problems: Vec<Problem>,
}

impl<'a> RowProblems<'a> {
    pub fn new(columns: &'a [Column], number: usize) -> Self {
        RowProblems {
            columns,
            number,
            problems: Vec::new(),
        }
    }

    fn title(&self, key: &str) -> &'static str {
        self.columns
            .iter()
            .find(|c| c.key == key)
            .map_or("Row", |c| c.title)
    }

    pub fn add(&mut self, key: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            row: self.number,
            column: self.title(key).to_string(),
            message: message.into(),
        });
    }

    /// Takes a form's field errors, the field `f` being column `prefix` + `f`. An empty cell of
    /// a required column is said to be empty rather than in the form's words.
    pub fn take(&mut self, errors: &FieldErrors, prefix: &str, layout: &Layout, cells: &[String]) {
        for column in self.columns {
            let Some(field) = column.key.strip_prefix(prefix) else {
                continue;
            };
            let Some(message) = errors.get(field) else {
                continue;
            };
            let message = match (
                layout.cell(self.columns, cells, column.key).is_empty(),
                column.need,
            ) {
                (true, Need::Required) => "empty, but required.".to_string(),
                (true, Need::ForContact) => "empty, but required when the row has a contact.".to_string(),
                _ => message.to_string(),
            };
            self.add(column.key, message);
        }
    }

    pub fn into_bad_row(self, layout: &Layout, cells: &[String]) -> BadRow {
        BadRow {
            number: self.number,
            values: self
                .columns
                .iter()
                .map(|c| layout.cell(self.columns, cells, c.key).to_string())
                .collect(),
            problems: self.problems,
        }
    }
}
