//! The command line, declared with clap. Doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// banmian (版面) typesets a report — headlines, lede, sections, photos,
/// byline — into a print-ready Chinese broadsheet page.
///
/// Write the report as TOML or JSON (see the README for the format), then:
///
///     banmian render data/zhongzhan-2020.toml
///
/// which writes out/zhongzhan-2020.newspaper.pdf. Exit codes: 0 done,
/// 1 the report has errors (nothing written), 2 the command could not run.
#[derive(Debug, Parser)]
#[command(name = "banmian", version, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Typeset a report into PDF (or PNG/SVG previews).
    Render(RenderCommand),
    /// List the bundled fonts, extra ones, and the families layouts use.
    Fonts(FontsCommand),
    /// Find every problem of a report, for editors and CI: lays out every
    /// layout, writes nothing. Exit 0 clean, 1 errors (or warnings with
    /// --strict), 2 could not run.
    Check(CheckCommand),
    /// Print the JSON Schema of the report format (or, with --findings, of
    /// `check --format json`), for editors' autocompletion and validation.
    Schema(SchemaCommand),
    /// Lay out the newspaper page (or, with --layout brochure, the
    /// brochure) and count the breaches of each rule: typographic (baseline
    /// grid, full columns, runaround, line breaking, headlines) and of the
    /// page (holes, legs, bumping headlines, photos, loose lines, the lead;
    /// for the brochure its page count, blank and photo-only pages, short
    /// blocks, widows and orphans, captions). Exit code 1 when any rule is
    /// broken.
    Rules(RulesCommand),
    /// Render, then render again on every change of the data file or its
    /// photos; with --serve, a local page shows the pages and findings and
    /// reloads after each render.
    Watch(WatchCommand),
    /// Print the shell completions for bash, zsh, fish, elvish or
    /// PowerShell (e.g. `banmian completions bash > /etc/bash_completion.d/banmian`).
    Completions(CompletionsCommand),
    /// Print the man page (roff), e.g. `banmian manual > banmian.1`.
    Manual,
    /// Render many reports in parallel into one folder: each as `render`
    /// does, one line (or JSON line) per report; the exit code is the worst
    /// of them.
    Batch(BatchCommand),
    /// List (or, with -o, write out) the files an archived PDF carries:
    /// the report's data file and banmian's manifest.
    Extract(ExtractCommand),
    /// Render an archived PDF again from the data it carries (photos from
    /// beside it) and say whether the bytes match; exit 1 when they do not.
    Verify(VerifyCommand),
    /// Show how the newspaper page was composed: a map of the grid (which
    /// module covers which columns and lines), each module, and every term
    /// of the score.
    Plan(PlanCommand),
}

/// `banmian plan`.
#[derive(Debug, Args)]
pub struct PlanCommand {
    /// The report: a .toml or .json file.
    pub data: PathBuf,

    /// How to print the plan.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,

    #[command(flatten)]
    pub fonts: FontArgs,
}

/// `banmian check`.
#[derive(Debug, Args)]
pub struct CheckCommand {
    /// The report: a .toml or .json file.
    pub data: PathBuf,

    /// Which layout to check; without it, every layout.
    #[arg(long, value_enum)]
    pub layout: Option<LayoutArg>,

    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,

    /// Fail (exit code 1) on warnings too.
    #[arg(long)]
    pub strict: bool,

    /// Also preflight the PDFs as a printing plant would (page boxes, fonts
    /// embedded and subset, no RGB colour, total ink); given a .pdf instead
    /// of a report, preflight that file only.
    #[arg(long)]
    pub preflight: bool,

    #[command(flatten)]
    pub fonts: FontArgs,
}

/// `banmian schema`.
#[derive(Debug, Args)]
pub struct SchemaCommand {
    /// The schema of `check --format json` instead of the report format's.
    #[arg(long)]
    pub findings: bool,
}

/// How `check` prints.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    /// Like rustc: each finding with a snippet of the data file.
    Human,
    /// One JSON document (schema: `banmian schema --findings`).
    Json,
}

/// `banmian rules`.
#[derive(Debug, Args)]
pub struct RulesCommand {
    /// The report: a .toml or .json file.
    pub data: PathBuf,

    /// Which layout to measure: the newspaper page (default) or the
    /// brochure.
    #[arg(long, value_enum, default_value_t = LayoutArg::Newspaper)]
    pub layout: LayoutArg,

    #[command(flatten)]
    pub fonts: FontArgs,
}

/// `banmian completions`.
#[derive(Debug, Args)]
pub struct CompletionsCommand {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `banmian watch`.
#[derive(Debug, Args)]
pub struct WatchCommand {
    /// What each render makes, and where (as `render`).
    #[command(flatten)]
    pub render: RenderCommand,

    /// Serve a preview page: `--serve` on 127.0.0.1 and a free port (the
    /// address is printed), or `--serve=ADDR`.
    #[arg(
        long,
        value_name = "ADDR",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "127.0.0.1:0"
    )]
    pub serve: Option<String>,
}

/// `banmian batch`.
#[derive(Debug, Args)]
pub struct BatchCommand {
    /// The reports: .toml or .json files.
    #[arg(required = true)]
    pub data: Vec<PathBuf>,

    /// Which layout to make of each; without it, every layout.
    #[arg(long, value_enum)]
    pub layout: Option<LayoutArg>,

    /// The folder every output goes to, named <data-stem>.<layout>.<ext>.
    #[arg(short, long, value_name = "DIR", default_value = "out")]
    pub output: PathBuf,

    /// What to write: PDF (default), or PNG or SVG previews.
    #[arg(long, value_enum, default_value_t = FormatArg::Pdf)]
    pub pages: FormatArg,

    /// PNG resolution in pixels per inch.
    #[arg(long, default_value_t = 144.0)]
    pub ppi: f32,

    /// Reports rendered at once (default: the machine's cores), each job a
    /// process of its own; one job renders in this process.
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,

    /// Only this run's share of the inputs: K of N (1/4, 2/4…), chosen by
    /// a hash of each file's name, the same on every machine.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,

    /// How to print each report's outcome: a line for people, or one JSON
    /// line per report.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,

    /// Overwrite existing output files banmian did not make.
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub fonts: FontArgs,
}

/// `banmian render`.
#[derive(Debug, Args)]
pub struct RenderCommand {
    /// The report: a .toml or .json file. Photos are read from its folder.
    pub data: PathBuf,

    /// Which layout to make; without it, every layout.
    #[arg(long, value_enum)]
    pub layout: Option<LayoutArg>,

    /// Output file (one layout) or folder (several). Default: out/ in the
    /// current folder, files named <data-stem>.<layout>.<ext>.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,

    /// Output format. PNG and SVG give one file per page.
    #[arg(long, value_enum, default_value_t = FormatArg::Pdf)]
    pub format: FormatArg,

    /// Resolution of PNG output, in pixels per inch.
    #[arg(long, default_value_t = 144.0, value_name = "N")]
    pub ppi: f32,

    /// Overwrite an existing output file even if banmian did not make it
    /// (never the report's own files).
    #[arg(long)]
    pub force: bool,

    /// Also write the brochure imposed for printing: `saddle` puts its
    /// pages two up on sheets twice their size (A4 pages on A3) in
    /// printer's spreads, as <name>.imposed.pdf beside the brochure.
    #[arg(long, value_enum, value_name = "BINDING")]
    pub impose: Option<ImposeArg>,

    /// PDF standards the PDF must conform to, as Typst names them: a-2b,
    /// a-2u, a-3b, a-3u, a-4, ua-1, 1.7, 2.0… (comma-separated or repeated).
    /// Typst refuses to write a PDF that breaks one.
    #[arg(long = "pdf-standard", value_delimiter = ',', value_name = "STANDARD")]
    pub pdf_standards: Vec<String>,

    /// Make an archive PDF: PDF/A-3b carrying the report's data file and a
    /// manifest (banmian's version, every input's SHA-256) as associated
    /// files. `banmian extract` gets them back, `banmian verify` renders
    /// them again and compares.
    #[arg(long)]
    pub archive: bool,

    /// Also write <name>.manifest.json beside each PDF: what made it, and
    /// the PDF's own SHA-256.
    #[arg(long)]
    pub manifest: bool,

    /// The bleed around every page, e.g. 3mm (mm, cm, in or pt): the PDF's
    /// page grows by it and gets a trim box; photos that reach the edge
    /// reach into it.
    #[arg(long, value_name = "LENGTH")]
    pub bleed: Option<String>,

    /// Crop and registration marks and a slug line (file, layout, date,
    /// page) outside the bleed (3 mm unless --bleed says), with a bleed box.
    #[arg(long)]
    pub marks: bool,

    /// The printing condition the PDF is made for, named in its output
    /// intent (ICC registry: IFRA26, FOGRA39, FOGRA47) and what
    /// --cmyk-photos separates for [default: newsprint for the newspaper
    /// page, coated for the brochure].
    #[arg(long, value_enum, value_name = "PRESS")]
    pub press: Option<banmian::press::Press>,

    /// Separate colour JPEG photos into CMYK for the press (its ink limit
    /// and dot gain), instead of leaving RGB photos for the printer's RIP.
    #[arg(long)]
    pub cmyk_photos: bool,

    #[command(flatten)]
    pub fonts: FontArgs,
}

/// `banmian extract`.
#[derive(Debug, Args)]
pub struct ExtractCommand {
    /// An archived PDF (made with `render --archive`).
    pub pdf: PathBuf,

    /// Folder to write the files into (made if need be); without it, they
    /// are only listed.
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,

    /// Overwrite files already there.
    #[arg(long)]
    pub force: bool,
}

/// `banmian verify`.
#[derive(Debug, Args)]
pub struct VerifyCommand {
    /// An archived PDF (made with `render --archive`).
    pub pdf: PathBuf,

    /// The folder the report's photos are named from. Default: the PDF's
    /// own folder.
    #[arg(long, value_name = "DIR")]
    pub photos: Option<PathBuf>,

    #[command(flatten)]
    pub fonts: FontArgs,
}

/// `banmian fonts`.
#[derive(Debug, Args)]
pub struct FontsCommand {
    #[command(flatten)]
    pub fonts: FontArgs,
}

/// Font options shared by the subcommands.
#[derive(Debug, Args)]
pub struct FontArgs {
    /// Add the fonts in this folder (searched recursively); may be repeated.
    /// System fonts are never used.
    #[arg(long = "font-path", value_name = "DIR")]
    pub font_paths: Vec<PathBuf>,
}

/// Layouts on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LayoutArg {
    /// The one-page broadsheet feature page (390 × 545 mm, 8 columns).
    Newspaper,
    /// The booklet: cover, lede and contents, the stories run on, key
    /// figures, back cover (A4; A5 with `[brochure] paper = "a5"`), its page
    /// count what `[brochure] binding` takes.
    Brochure,
}

/// Impositions on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImposeArg {
    /// Sheets folded and stapled through the fold: last + first, second +
    /// second-to-last, …
    Saddle,
}

/// Output formats on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// Print-ready PDF with fonts embedded.
    Pdf,
    /// PNG preview, one image per page.
    Png,
    /// SVG preview, one file per page.
    Svg,
}
