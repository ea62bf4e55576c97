//! The switchboard: parse the command line, turn it into a config, run the
//! subcommand, print findings, set the exit code.
//!
//! Exit codes: 0 success; 1 the report has errors (nothing was written);
//! 2 the command could not run (bad arguments, output not writable).

mod args;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use args::{
    CheckCommand, Cli, Command, FormatArg, LayoutArg, PlanCommand, RenderCommand, ReportFormat,
};
use banmian::findings::{self, Severity};
use banmian::fonts::{Fonts, Origin};
use banmian::layouts::Layout;
use banmian::render::{self, Destination, OutputFormat, RenderConfig};

/// The report has errors.
const EXIT_REPORT: u8 = 1;
/// The command could not run.
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Render(command) => render(command),
        Command::Fonts(command) => fonts(&command.fonts.font_paths),
        Command::Rules(command) => rules(&command.data, &command.fonts.font_paths),
        Command::Check(command) => check(command),
        Command::Schema(command) => schema(command.findings),
        Command::Plan(command) => plan(&command),
    }
}

fn check(command: CheckCommand) -> ExitCode {
    let layouts = match command.layout {
        Some(layout) => vec![layout_of(layout)],
        None => Layout::ALL.to_vec(),
    };
    for folder in &command.fonts.font_paths {
        if !folder.is_dir() {
            eprintln!("error: --font-path {} is not a folder", folder.display());
            return ExitCode::from(EXIT_USAGE);
        }
    }
    let config = banmian::check::CheckConfig {
        data: command.data.clone(),
        layouts,
        font_paths: command.fonts.font_paths,
    };
    let outcome = banmian::check::run(&config);
    let findings = &outcome.findings;
    match command.format {
        ReportFormat::Json => {
            let mut json = banmian::check::to_json(&command.data, findings);
            // The newspaper's plan, when its page was composed.
            if let Some(prepared) = &outcome.prepared
                && config_has_newspaper(command.layout)
                && let banmian::typeset::Composition::Page(page) = &prepared.composition
            {
                let headline = |section: usize| prepared.data.section_headline(section);
                json["plan"] = page.to_json(prepared.data.band(), &headline);
            }
            println!(
                "{}",
                serde_json::to_string_pretty(&json).expect("JSON serialises")
            );
        }
        ReportFormat::Human => {
            findings::print(findings);
            let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
            eprintln!(
                "{}: {} error(s), {} warning(s), {} note(s)",
                command.data.display(),
                count(Severity::Error),
                count(Severity::Warning),
                count(Severity::Note)
            );
        }
    }
    if findings.iter().any(|f| f.code == "data-file") {
        ExitCode::from(EXIT_USAGE)
    } else if outcome.has_errors()
        || (command.strict && findings.iter().any(|f| f.severity == Severity::Warning))
    {
        ExitCode::from(EXIT_REPORT)
    } else {
        ExitCode::SUCCESS
    }
}

fn plan(command: &PlanCommand) -> ExitCode {
    for folder in &command.fonts.font_paths {
        if !folder.is_dir() {
            eprintln!("error: --font-path {} is not a folder", folder.display());
            return ExitCode::from(EXIT_USAGE);
        }
    }
    let prepared = match render::prepare(&command.data, &command.fonts.font_paths) {
        Ok(prepared) => prepared,
        Err(found) => {
            findings::print(&found);
            return ExitCode::from(EXIT_REPORT);
        }
    };
    let banmian::typeset::Composition::Page(page) = &prepared.composition else {
        findings::print(
            &prepared
                .fit
                .iter()
                .filter(|f| f.is_error())
                .cloned()
                .collect::<Vec<_>>(),
        );
        return ExitCode::from(EXIT_REPORT);
    };
    let band = prepared.data.band();
    let headline = |section: usize| prepared.data.section_headline(section);
    match command.format {
        ReportFormat::Human => print!("{}", page.describe(band, &headline)),
        ReportFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&page.to_json(band, &headline)).expect("JSON serialises")
        ),
    }
    ExitCode::SUCCESS
}

fn config_has_newspaper(layout: Option<LayoutArg>) -> bool {
    layout.is_none_or(|l| matches!(l, LayoutArg::Newspaper))
}

fn schema(findings: bool) -> ExitCode {
    let schema = if findings {
        serde_json::from_str(banmian::check::FINDINGS_SCHEMA).expect("the findings schema is JSON")
    } else {
        banmian::report::schema()
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&schema).expect("JSON serialises")
    );
    ExitCode::SUCCESS
}

fn layout_of(layout: LayoutArg) -> Layout {
    match layout {
        LayoutArg::Newspaper => Layout::Newspaper,
        LayoutArg::Brochure => Layout::Brochure,
    }
}

fn rules(data: &std::path::Path, font_paths: &[PathBuf]) -> ExitCode {
    let outcome = render::prepare(data, font_paths).and_then(|prepared| {
        let (document, _) = render::compile(&prepared, Layout::Newspaper)?;
        let inspection = banmian::inspect::inspect(&document);
        Ok(banmian::rules::check(&prepared, &document, &inspection))
    });
    match outcome {
        Ok(counts) => {
            print!("{}", banmian::rules::table(&counts));
            let broken: usize = counts.iter().map(|c| c.count).sum();
            println!("{broken} breach(es) of {} rules", counts.len());
            if broken == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_REPORT)
            }
        }
        Err(found) => {
            findings::print(&found);
            ExitCode::from(EXIT_REPORT)
        }
    }
}

fn render(command: RenderCommand) -> ExitCode {
    let config = match render_config(command) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match render::render(&config) {
        Ok((written, warnings)) => {
            findings::print(&warnings);
            for path in written {
                println!("{}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(found) => {
            findings::print(&found);
            let errors = found.iter().filter(|f| f.is_error()).count();
            eprintln!(
                "error: {errors} error(s) in {}; nothing was written",
                config.data.display()
            );
            let usage = found.iter().all(|f| f.code == "output-failed");
            ExitCode::from(if usage { EXIT_USAGE } else { EXIT_REPORT })
        }
    }
}

/// Turns the flags into a checked config, once.
fn render_config(command: RenderCommand) -> Result<RenderConfig, String> {
    let layouts = match command.layout {
        Some(layout) => vec![layout_of(layout)],
        None => Layout::ALL.to_vec(),
    };
    let format = match command.format {
        FormatArg::Pdf => OutputFormat::Pdf,
        FormatArg::Png => OutputFormat::Png,
        FormatArg::Svg => OutputFormat::Svg,
    };
    if !(command.ppi.is_finite() && (9.0..=1200.0).contains(&command.ppi)) {
        return Err(format!(
            "--ppi must be between 9 and 1200, not {}",
            command.ppi
        ));
    }
    for folder in &command.fonts.font_paths {
        if !folder.is_dir() {
            return Err(format!("--font-path {} is not a folder", folder.display()));
        }
    }
    let destination = match command.output {
        None => Destination::Folder(PathBuf::from("out")),
        Some(path) if path.is_dir() || layouts.len() > 1 => Destination::Folder(path),
        Some(path) => Destination::File(path),
    };
    Ok(RenderConfig {
        data: command.data,
        layouts,
        destination,
        format,
        ppi: command.ppi,
        font_paths: command.fonts.font_paths,
    })
}

fn fonts(font_paths: &[PathBuf]) -> ExitCode {
    let fonts = Fonts::load(font_paths);
    println!("Faces (family, weight, style, coverage, source):");
    for (info, origin) in fonts.faces() {
        let source = match origin {
            Origin::Bundled(file) => format!("bundled fonts/{file}"),
            Origin::Extra(path) => path.display().to_string(),
        };
        let han = (0x4E00..=0x9FFF)
            .filter(|&c| info.coverage.contains(c))
            .count();
        println!(
            "  {:<22} {:>4} {:<7} {:>5} Han  {source}",
            info.family,
            info.variant.weight.to_number(),
            format!("{:?}", info.variant.style).to_lowercase(),
            han,
        );
    }
    println!();
    println!("Families the layouts use:");
    println!("  Noto Serif CJK SC   body (书宋), section headlines (Bold), title (Black)");
    println!("  Noto Sans CJK SC    kickers, publication strip, figures (黑体, Bold)");
    println!("  Banmian Kai         lede, captions, byline (楷体; LXGW WenKai, renamed)");
    ExitCode::SUCCESS
}
