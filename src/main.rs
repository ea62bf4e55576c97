//! The switchboard: parse the command line, turn it into a checked config,
//! dispatch to the subcommand's module, exit with its code (the codes are
//! stated once, in `banmian::exit`).

mod args;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use args::{BatchCommand, Cli, Command, FormatArg, LayoutArg, RenderCommand, ReportFormat};
use banmian::commands::{
    self, Exit, Print, batch, check, fonts, plan, render, rules, schema, watch,
};
use banmian::export::{self, Destination, Output, OutputFormat, PdfSettings};
use banmian::layouts::Layout;
use banmian::pipeline::Request;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // No transparent huge pages for this process. A render touches most
    // of its memory once; with huge pages, renders run among other
    // programs (the bench runs Typst between them) were often far slower:
    // upper quartile 85 against 69 ms (medians 67 and 67 ms), the bench's
    // median 83 against 68 ms. It also holds 69 MiB, not 89. Best effort:
    // where the switch is missing, a render runs as before.
    #[cfg(target_os = "linux")]
    let _ = nix::sys::prctl::set_thp_disable(true);
    let command = Cli::parse().command;
    let renders_here = match &command {
        Command::Batch(batch) => batch::renders_here(batch.jobs, batch.data.len()),
        _ => true,
    };
    if renders_here
        && matches!(
            command,
            Command::Render(_)
                | Command::Batch(_)
                | Command::Watch(_)
                | Command::Check(_)
                | Command::Verify(_)
                | Command::Rules(_)
                | Command::Plan(_)
        )
    {
        // Typst's library and templates made between parsing the faces and
        // hashing them.
        banmian::fonts::warm_up(banmian::world::warm_up);
    }
    banmian::export::clean_up_on_stop();
    // No panic reaches the user as a backtrace: the hook keeps its message,
    // and the run ends as below.
    std::panic::set_hook(Box::new(|info| {
        let message = match info.payload().downcast_ref::<&str>() {
            Some(text) => (*text).to_string(),
            None => info
                .payload()
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_default(),
        };
        let at = info
            .location()
            .map_or(String::new(), |l| format!(" at {l}"));
        *PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some(format!("{message}{at}"));
    }));
    let exit = match std::panic::catch_unwind(|| dispatch(command)) {
        Ok(Ok(exit)) => exit,
        Ok(Err(usage)) => {
            eprintln!("error: {usage}");
            Exit::CannotRun
        }
        Err(_) => {
            let message = PANIC
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .unwrap_or_default();
            // A reader that stopped reading (`banmian check … | head`): end
            // quietly, as a program killed by SIGPIPE does.
            if message.contains("Broken pipe") {
                return ExitCode::from(BROKEN_PIPE);
            }
            eprintln!(
                "error: internal error: {message}\nnothing was written; please report this with the report file"
            );
            Exit::CannotRun
        }
    };
    ExitCode::from(exit.code())
}

/// The message of the panic being unwound, kept by the panic hook.
static PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// The exit code of a program stopped by a closed pipe (128 + SIGPIPE).
const BROKEN_PIPE: u8 = 141;

/// Runs the subcommand; `Err` is a bad argument, said in one line.
fn dispatch(command: Command) -> Result<Exit, String> {
    Ok(match command {
        Command::Render(command) => render::run(&render_config(command)?),
        Command::Batch(command) => batch::run(&batch_config(command)?),
        Command::Completions(command) => {
            let mut cli = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(command.shell, &mut cli, "banmian", &mut std::io::stdout());
            Exit::Success
        }
        Command::Extract(command) => {
            commands::extract::run(&command.pdf, command.output.as_deref(), command.force)
        }
        Command::Verify(command) => commands::verify::run(&commands::verify::VerifyConfig {
            pdf: command.pdf,
            photos: command.photos,
            font_paths: commands::font_paths(command.fonts.font_paths)?,
        }),
        Command::Manual => {
            let cli = <Cli as clap::CommandFactory>::command();
            match clap_mangen::Man::new(cli).render(&mut std::io::stdout()) {
                Ok(()) => Exit::Success,
                Err(_) => Exit::CannotRun,
            }
        }
        Command::Watch(command) => watch::run(&watch::WatchConfig {
            render: render::RenderConfig {
                preview: command.serve.is_some(),
                ..render_config(command.render)?
            },
            serve: command.serve,
        }),
        Command::Check(command) => check::run(&check::CheckConfig {
            request: Request {
                data: command.data,
                layouts: layouts(command.layout),
                font_paths: commands::font_paths(command.fonts.font_paths)?,
                pixels: false,
                pdf: Default::default(),
                archive: false,
            },
            print: print(command.format),
            strict: command.strict,
            preflight: command.preflight,
        }),
        Command::Rules(command) => rules::run(
            command.data,
            layouts(Some(command.layout))[0],
            commands::font_paths(command.fonts.font_paths)?,
        ),
        Command::Plan(command) => plan::run(
            command.data,
            commands::font_paths(command.fonts.font_paths)?,
            print(command.format),
        ),
        Command::Fonts(command) => fonts::run(&commands::font_paths(command.fonts.font_paths)?),
        Command::Schema(command) => schema::run(command.findings),
    })
}

fn batch_config(command: BatchCommand) -> Result<batch::BatchConfig, String> {
    let shard = match &command.shard {
        None => None,
        Some(text) => {
            let parsed = text
                .split_once('/')
                .and_then(|(k, n)| Some((k.trim().parse().ok()?, n.trim().parse().ok()?)))
                .filter(|&(k, n): &(usize, usize)| n >= 1 && (1..=n).contains(&k));
            Some(parsed.ok_or_else(|| format!("--shard takes K/N with 1 ≤ K ≤ N, not {text}"))?)
        }
    };
    if !(command.ppi.is_finite() && (9.0..=1200.0).contains(&command.ppi)) {
        return Err(format!(
            "--ppi must be between 9 and 1200, not {}",
            command.ppi
        ));
    }
    let jobs = match command.jobs {
        Some(0) => return Err("--jobs takes at least 1".into()),
        Some(jobs) => jobs,
        None => batch::default_jobs(),
    };
    Ok(batch::BatchConfig {
        inputs: command.data,
        layouts: layouts(command.layout),
        output: Output {
            destination: Destination::Folder(command.output),
            format: output_format(command.pages),
            ppi: command.ppi,
            pdf: PdfSettings::default(),
        },
        jobs,
        shard,
        print: print(command.format),
        font_paths: commands::font_paths(command.fonts.font_paths)?,
        force: command.force,
    })
}

fn output_format(format: FormatArg) -> OutputFormat {
    match format {
        FormatArg::Pdf => OutputFormat::Pdf,
        FormatArg::Png => OutputFormat::Png,
        FormatArg::Svg => OutputFormat::Svg,
    }
}

/// The layouts asked for: one, or every layout.
fn layouts(layout: Option<LayoutArg>) -> Vec<Layout> {
    match layout {
        Some(LayoutArg::Newspaper) => vec![Layout::Newspaper],
        Some(LayoutArg::Brochure) => vec![Layout::Brochure],
        None => Layout::ALL.to_vec(),
    }
}

fn print(format: ReportFormat) -> Print {
    match format {
        ReportFormat::Human => Print::Human,
        ReportFormat::Json => Print::Json,
    }
}

/// Turns the render flags into a checked config, once.
fn render_config(command: RenderCommand) -> Result<render::RenderConfig, String> {
    let layouts = layouts(command.layout);
    let format = output_format(command.format);
    if !(command.ppi.is_finite() && (9.0..=1200.0).contains(&command.ppi)) {
        return Err(format!(
            "--ppi must be between 9 and 1200, not {}",
            command.ppi
        ));
    }
    if command.impose.is_some() {
        if !layouts.contains(&Layout::Brochure) {
            return Err(
                "--impose makes the brochure's sheets: use it with --layout brochure".into(),
            );
        }
        if format != OutputFormat::Pdf {
            return Err("--impose writes a PDF for the printer: use it with --format pdf".into());
        }
    }
    let mut standards: Vec<String> = command
        .pdf_standards
        .iter()
        .map(|s| s.trim().to_lowercase())
        .collect();
    if command.archive {
        if let Some(other) = standards
            .iter()
            .find(|s| s.starts_with("a-") && *s != "a-3b")
        {
            return Err(format!(
                "--archive makes PDF/A-3b (PDF/A-3 carries files); it cannot also be {other}"
            ));
        }
        if !standards.iter().any(|s| s == "a-3b") {
            standards.push("a-3b".into());
        }
    }
    if (command.archive || command.manifest || !standards.is_empty()) && format != OutputFormat::Pdf
    {
        return Err(
            "--archive, --manifest and --pdf-standard are for PDF: use them with --format pdf"
                .into(),
        );
    }
    export::pdf_standards(&standards)?;
    let bleed = command
        .bleed
        .as_deref()
        .map(export::parse_length)
        .transpose()?;
    if (bleed.is_some() || command.marks) && format != OutputFormat::Pdf {
        return Err(
            "--bleed and --marks are for the printer's PDF: use them with --format pdf".into(),
        );
    }
    if (bleed.is_some() || command.marks) && command.impose.is_some() {
        return Err(
            "--impose places the trimmed pages on sheets: make the imposed PDF without --bleed and --marks"
                .into(),
        );
    }
    if (command.cmyk_photos || command.press.is_some()) && format != OutputFormat::Pdf {
        return Err(
            "--press and --cmyk-photos are for the printer's PDF: use them with --format pdf"
                .into(),
        );
    }
    if command.press.is_some() && standards.iter().any(|s| s.starts_with("a-")) {
        return Err(
            "--press names a print PDF's printing condition; a PDF/A file names its own (sRGB): drop --press or the PDF/A standard"
                .into(),
        );
    }
    if command.cmyk_photos && standards.iter().any(|s| s.starts_with("a-")) {
        return Err(
            "--cmyk-photos: PDF/A allows CMYK photos only with a CMYK output profile, which Typst does not write; archive the RGB photos (without --cmyk-photos)"
                .into(),
        );
    }
    let font_paths = commands::font_paths(command.fonts.font_paths)?;
    let destination = match command.output {
        None => Destination::Folder(PathBuf::from("out")),
        // A path ending in a slash names a folder, made if need be.
        Some(path)
            if path.is_dir()
                || layouts.len() > 1
                || path.as_os_str().to_string_lossy().ends_with('/') =>
        {
            Destination::Folder(path)
        }
        Some(path) => Destination::File(path),
    };
    Ok(render::RenderConfig {
        data: command.data,
        layouts,
        output: Output {
            destination,
            format,
            ppi: command.ppi,
            pdf: PdfSettings {
                standards,
                manifest: command.manifest,
                epoch: PdfSettings::epoch_from_env()?,
                bleed,
                marks: command.marks,
                press: command.press,
                cmyk_photos: command.cmyk_photos,
            },
        },
        font_paths,
        force: command.force,
        impose: command.impose.is_some(),
        preview: false,
        archive: command.archive,
    })
}
