use std::process::ExitCode;

use clap::Parser;
use crossterm::event::EventStream;

use dockpit::app::hosts::{Context as HostContext, HostSpec};
use dockpit::app::{App, Prefs, Settings};
use dockpit::cli::{Cli, Command, ConfigCommand};
use dockpit::config::{self, Config};
use dockpit::docker::endpoint::{self, ProcessEnv};
use dockpit::docker::fleet::Fleet;
use dockpit::docker::{Endpoint, HostId};
use dockpit::run::{self, Channels};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(code) = offline_command(&cli) {
        return code;
    }
    // The log first: reading the config logs what is wrong in it.
    if let Err(e) = dockpit::logging::init(&cli.log_path(), cli.log_file.is_none()) {
        eprintln!(
            "dockpit: cannot open the log file {}: {e}",
            cli.log_path().display()
        );
        return ExitCode::from(2);
    }
    let (config, config_problem) = match load_config(cli.config.as_deref()) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("dockpit: cannot read the config file {e}");
            return ExitCode::from(2);
        }
    };
    let endpoints = match endpoints(&cli, &config) {
        Ok(endpoints) => endpoints,
        Err(e) => {
            eprintln!(
                "dockpit: {e}\nhint: fix or switch the context (`docker context use default`), or set DOCKER_HOST."
            );
            return ExitCode::from(2);
        }
    };
    // One thread is plenty for a dashboard and keeps memory small.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("dockpit: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match &cli.command {
        Some(Command::Layers(args)) => return runtime.block_on(layers_command(args, &endpoints)),
        Some(Command::Alerts(args)) => {
            // No screen to show it on: a rule that is wrong is said where a service's log is.
            if let Some(problem) = &config_problem {
                eprintln!("dockpit: {problem}");
            }
            let rules = config.alerts.rules.clone();
            return runtime.block_on(alerts_command(args, &endpoints, rules));
        }
        Some(Command::Top(args)) => return runtime.block_on(top_command(args, endpoints)),
        Some(Command::Config { .. } | Command::Completions { .. } | Command::Man) | None => {}
    }
    match runtime.block_on(run_tui(cli, endpoints, config, config_problem)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dockpit: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The commands that need no log, config or daemon: `config`, `completions`, `man`.
fn offline_command(cli: &Cli) -> Option<ExitCode> {
    use clap::CommandFactory;
    match &cli.command {
        Some(Command::Config { action }) => Some(config_command(action, cli.config.as_deref())),
        Some(Command::Completions { shell }) => {
            // Written whole here: clap_complete panics when it cannot write (a closed pipe).
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "dockpit", &mut script);
            Some(print_or_fail(std::io::Write::write_all(
                &mut std::io::stdout(),
                &script,
            )))
        }
        Some(Command::Man) => {
            let page = clap_mangen::Man::new(Cli::command());
            Some(print_or_fail(page.render(&mut std::io::stdout())))
        }
        Some(Command::Layers(_) | Command::Alerts(_) | Command::Top(_)) | None => None,
    }
}

/// Success, or what stopped the writing on stdout said on stderr.
fn print_or_fail(written: std::io::Result<()>) -> ExitCode {
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dockpit: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The command line's hosts, else the config's, else the docker CLI's one.
fn endpoints(cli: &Cli, config: &Config) -> Result<Vec<(Endpoint, bool)>, endpoint::EndpointError> {
    let named = !cli.host.is_empty() || !cli.context.is_empty() || cli.all_contexts;
    if named || config.hosts.is_empty() {
        endpoint::resolve_all(&cli.host, &cli.context, cli.all_contexts, &ProcessEnv)
    } else {
        let h = &config.hosts;
        endpoint::resolve_all(&h.endpoints, &h.contexts, h.all_contexts, &ProcessEnv)
    }
}

/// `dockpit top --once [--json]`: every host's running containers read twice, printed
/// busiest first; without `--once`, says where the live view is.
async fn top_command(
    args: &dockpit::cli::TopArgs,
    endpoints: Vec<(dockpit::docker::Endpoint, bool)>,
) -> ExitCode {
    if !args.once {
        eprintln!("dockpit: top prints once with --once; live, press T in the dashboard");
        return ExitCode::from(2);
    }
    let endpoints = endpoints.into_iter().map(|(e, _)| e).collect();
    ExitCode::from(dockpit::top_once::run(endpoints, args.json).await)
}

/// `dockpit layers IMAGE`: read its export from the first host, print the report; exit 1
/// when `--ci` finds a threshold crossed, 2 when the layers could not be read.
async fn layers_command(
    args: &dockpit::cli::LayersArgs,
    endpoints: &[(Endpoint, bool)],
) -> ExitCode {
    use dockpit::docker::layers;
    use dockpit::layers_report as report;
    let image = if args.remote {
        match dockpit::reference::parse(&args.image) {
            Ok(reference) => layers::remote(&reference, |_| {}).await,
            Err(e) => {
                eprintln!("dockpit: {}: {e}", args.image);
                return ExitCode::from(2);
            }
        }
    } else {
        let Some((endpoint, _)) = endpoints.first() else {
            eprintln!("dockpit: no Docker host to ask");
            return ExitCode::from(2);
        };
        match dockpit::docker::connect::connect(endpoint).await {
            Ok((docker, _)) => layers::export(&docker, &args.image, false, |_| {}).await,
            Err(e) => {
                eprintln!("dockpit: {e}");
                return ExitCode::from(2);
            }
        }
    };
    let image = match image {
        Ok(image) => image,
        Err(e) => {
            eprintln!("dockpit: {e}");
            if !args.remote && e.to_string().to_lowercase().contains("no such image") {
                eprintln!("hint: `--remote` reads an image from its registry without pulling it");
            }
            return ExitCode::from(2);
        }
    };
    let analysis = layers::analysis::analyse(&image.layers);
    let verdicts = if args.judged() {
        report::check(&analysis, &args.rules())
    } else {
        Vec::new()
    };
    if args.json {
        println!(
            "{}",
            report::json(&args.image, &analysis, &verdicts, args.changes)
        );
    } else {
        print!(
            "{}",
            report::text(&args.image, &analysis, &verdicts, args.changes)
        );
    }
    if args.ci && verdicts.iter().any(|v| !v.passed) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `dockpit alerts --follow`: see [`dockpit::alerts::follow`]; until SIGINT, SIGTERM or
/// SIGHUP, or stdout closes.
async fn alerts_command(
    args: &dockpit::cli::AlertsArgs,
    endpoints: &[(Endpoint, bool)],
    rules: dockpit::alerts::Rules,
) -> ExitCode {
    use dockpit::alerts::follow::{self, Follower};
    if !args.follow {
        eprintln!("dockpit alerts prints alerts as they happen: add --follow");
        return ExitCode::from(2);
    }
    let hook = match args.hook.as_deref().map(dockpit::run_spec::split_command) {
        Some(Ok(words)) if !words.is_empty() => Some(words),
        Some(Ok(_)) => {
            eprintln!("dockpit: --hook is empty");
            return ExitCode::from(2);
        }
        Some(Err(e)) => {
            eprintln!("dockpit: --hook: {e}");
            return ExitCode::from(2);
        }
        None => None,
    };
    // Events carry the changes; a full listing now and then is the worker's resync.
    let (mut fleet, events) = Fleet::new(std::time::Duration::from_secs(60));
    let names: Vec<String> = host_specs(endpoints, true)
        .into_iter()
        .map(|s| s.name)
        .collect();
    for (i, (endpoint, _)) in (0u16..).zip(endpoints) {
        fleet.add(HostId(i), endpoint.clone());
    }
    let state = dockpit::away::path();
    let times = dockpit::away::Times::from_kept(dockpit::away::load(&state));
    // The config's rules narrow what is raised; `--hook` runs for every alert.
    let follower = Follower::new(names, rules, times);
    let options = follow::Options {
        hook,
        hook_timeout: std::time::Duration::from_secs(args.hook_timeout),
        state,
    };
    let stop = async {
        tokio::select! {
            () = shutdown_signal() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    };
    follow::follow(fleet, events, follower, options, stop).await;
    ExitCode::SUCCESS
}

/// `dockpit config default` and `dockpit config check [PATH]`.
fn config_command(action: &ConfigCommand, chosen: Option<&std::path::Path>) -> ExitCode {
    match action {
        ConfigCommand::Default => {
            print!("{}", config::DEFAULT);
            ExitCode::SUCCESS
        }
        ConfigCommand::Check { path } => {
            let Some(path) = path
                .as_deref()
                .or(chosen)
                .map(std::path::Path::to_path_buf)
                .or_else(config::default_path)
            else {
                eprintln!("dockpit: no config folder here; name the file");
                return ExitCode::from(2);
            };
            let text = match config::read(&path) {
                Ok(Some(text)) => text,
                Ok(None) => {
                    eprintln!("{}: no such file", path.display());
                    return ExitCode::from(2);
                }
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(2);
                }
            };
            let parsed = config::parse(&text);
            for p in &parsed.problems {
                println!(
                    "{}:{}:{}: {} ({})",
                    path.display(),
                    p.line,
                    p.column,
                    p.message,
                    p.fallback
                );
            }
            if parsed.problems.is_empty() {
                println!("{}: ok", path.display());
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// The config to start with, and what the status line should say about it. A file named
/// with --config must be there; the usual one may be missing.
fn load_config(chosen: Option<&std::path::Path>) -> Result<(Config, Option<String>), String> {
    let Some(path) = chosen
        .map(std::path::Path::to_path_buf)
        .or_else(config::default_path)
    else {
        return Ok((Config::default(), None));
    };
    match config::read(&path) {
        Ok(Some(text)) => {
            let parsed = config::parse(&text);
            for p in &parsed.problems {
                tracing::warn!("{}:{}:{}: {}", path.display(), p.line, p.column, p.message);
            }
            Ok((parsed.config, config::summary(&path, &parsed.problems)))
        }
        Ok(None) if chosen.is_some() => Err(format!("{}: no such file", path.display())),
        Ok(None) => Ok((Config::default(), None)),
        Err(e) if chosen.is_some() => Err(e),
        Err(e) => Ok((
            Config::default(),
            Some(format!("config {e}; the defaults are used")),
        )),
    }
}

async fn run_tui(
    cli: Cli,
    endpoints: Vec<(dockpit::docker::Endpoint, bool)>,
    config: Config,
    config_problem: Option<String>,
) -> std::io::Result<()> {
    let theme = if dockpit::ui::theme::no_color_requested(std::env::var_os("NO_COLOR")) {
        dockpit::ui::theme::Theme::no_color()
    } else {
        config.theme
    };
    dockpit::ui::theme::install(theme);
    let interval = cli
        .interval
        .or(config.defaults.interval)
        .unwrap_or(std::time::Duration::from_secs(2));
    let (mut fleet, event_rx) = Fleet::new(interval);
    let hosts = host_specs(&endpoints, cli.read_only);
    for (i, (endpoint, _)) in (0u16..).zip(&endpoints) {
        fleet.add(HostId(i), endpoint.clone());
    }
    // The first host's, for what speaks of one (custom commands' {host}).
    let Some((endpoint, _)) = endpoints.into_iter().next() else {
        return Err(std::io::Error::other("no Docker host to watch"));
    };
    // Before the screen is taken: a bad `--shell` is said on the terminal as it was.
    let prefs = prefs(&cli, &config)?;
    let mut terminal = open_terminal(&cli, &config.defaults)?;
    let size = terminal.size()?;
    let mut settings = settings(&cli, &config, &endpoint, (size.width, size.height), prefs);
    settings.hosts = hosts;
    let mut app = App::new(settings);
    app.alerts.away =
        dockpit::app::away::Away::from_kept(dockpit::away::load(&dockpit::away::path()));
    // Read here, before the UI runs (bounded: a regular file of at most 1 MiB).
    if let Some(warning) = dockpit::docker::auth::config_warning() {
        tracing::warn!("{warning}");
        app.activity.refuse(warning);
    }
    if let Some(problem) = config_problem {
        app.activity.refuse(problem);
    }
    let channels = Channels {
        fleet,
        docker: event_rx,
    };
    let result = run::run(
        &mut terminal,
        &mut app,
        EventStream::new(),
        channels,
        shutdown_signal(),
    )
    .await;
    let _ = crossterm::execute!(
        std::io::stdout(),
        crossterm::event::DisableBracketedPaste,
        crossterm::event::DisableMouseCapture
    );
    ratatui::try_restore()?;
    result
}

/// What `e` runs: `--shell`, else the config's; `None`: the default.
fn shell(cli: &Cli, defaults: &config::Defaults) -> std::io::Result<Option<Vec<String>>> {
    match cli.shell.as_deref().map(dockpit::run_spec::split_command) {
        Some(Ok(words)) if !words.is_empty() => Ok(Some(words)),
        Some(Ok(_)) => Err(std::io::Error::other("--shell is empty")),
        Some(Err(e)) => Err(std::io::Error::other(format!("--shell: {e}"))),
        None => Ok(defaults.shell.clone()),
    }
}

/// The terminal in raw mode on the alternate screen, with bracketed paste and (unless the
/// user keeps it) the mouse; panics restore it first.
fn open_terminal(
    cli: &Cli,
    defaults: &config::Defaults,
) -> std::io::Result<ratatui::DefaultTerminal> {
    // ratatui's hook (installed next) restores raw mode and the screen, then calls this.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(
            std::io::stdout(),
            crossterm::event::DisableBracketedPaste,
            crossterm::event::DisableMouseCapture
        );
        previous(info);
    }));
    let terminal = ratatui::try_init()?;
    // A panic the terminal emulator's guard catches is not dockpit's end: no restore, no
    // message over the screen (it is logged).
    let restore = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if dockpit::pty::in_guarded_section() {
            tracing::error!("terminal emulator: {info}");
            return;
        }
        restore(info);
    }));
    // Pastes arrive whole, so the terminal pane can pass them on as one paste.
    crossterm::execute!(std::io::stdout(), crossterm::event::EnableBracketedPaste)?;
    // Clicks select rows and the wheel scrolls, unless the user keeps the mouse (the flag,
    // or `mouse = false` in the config).
    if !cli.no_mouse && defaults.mouse.unwrap_or(true) {
        crossterm::execute!(std::io::stdout(), crossterm::event::EnableMouseCapture)?;
    }
    Ok(terminal)
}

/// The app's settings, each from its flag, else the config file, else the default: the one
/// place that chain is written, with [`prefs`] (the part that holds for the session, read
/// first). The refresh interval and the mouse are the Docker task's and the terminal's.
fn settings(
    cli: &Cli,
    config: &Config,
    endpoint: &Endpoint,
    size: (u16, u16),
    prefs: Prefs,
) -> Settings {
    let defaults = &config.defaults;
    let base = Settings::default();
    let mut keymap = config.keymap.clone();
    if let Some(key) = cli.prefix.or(defaults.prefix) {
        keymap.set_prefix(key);
    }
    Settings {
        endpoint: endpoint.label(),
        now: run::now(),
        size,
        prefs,
        usage: cli.usage || defaults.usage.unwrap_or(false),
        alerts: config.alerts.clone(),
        update_interval: config.update_interval.unwrap_or(base.update_interval),
        compose_program: config.compose.program.clone(),
        // The start folder first, as `docker compose` run here would read it.
        compose_dirs: (std::env::current_dir().ok().into_iter())
            .chain(cli.compose_dir.iter().cloned())
            .chain(config.compose.dirs.iter().cloned())
            .collect(),
        keymap,
        image_sort: defaults.images_sort.unwrap_or(base.image_sort),
        container_sort: defaults.containers_sort.unwrap_or(base.container_sort),
        image_filter: defaults.images_filter.clone().unwrap_or_default(),
        container_filter: defaults.containers_filter.clone().unwrap_or_default(),
        show_all: defaults.all.unwrap_or(base.show_all),
        group_projects: defaults.group.unwrap_or(base.group_projects),
        docker_host: endpoint.host.clone(),
        docker_env: endpoint.docker_env(),
        contexts: endpoint::context_names(&ProcessEnv)
            .into_iter()
            .map(|name| HostContext {
                endpoint: endpoint::named_context(&name, &ProcessEnv).map_err(|e| e.to_string()),
                name,
            })
            .collect(),
        typed_tls: endpoint::env_tls(&ProcessEnv),
        ..base
    }
}

/// The settings that hold for the whole session, each read as [`settings`] reads its own.
fn prefs(cli: &Cli, config: &Config) -> std::io::Result<Prefs> {
    let defaults = &config.defaults;
    let base = Prefs::default();
    Ok(Prefs {
        read_only: cli.read_only,
        top_budget: config.top_budget.unwrap_or(base.top_budget),
        stop_timeout: cli
            .stop_timeout
            .or(defaults.stop_timeout)
            .unwrap_or(base.stop_timeout),
        log_lines: cli
            .log_lines
            .or(defaults.log_lines)
            .unwrap_or(base.log_lines),
        log_bytes: cli
            .log_bytes
            .or(defaults.log_bytes)
            .unwrap_or(base.log_bytes),
        utc_offset: chrono::Local::now().offset().local_minus_utc(),
        hyperlinks: defaults.hyperlinks.unwrap_or(base.hyperlinks),
        aliases: config.aliases.clone(),
        commands: config.commands.clone(),
        exec_command: shell(cli, defaults)?.unwrap_or(base.exec_command),
        ..base
    })
}

/// The hosts as the app names them: short names made unique (`web`, `web-2`).
fn host_specs(endpoints: &[(Endpoint, bool)], all_read_only: bool) -> Vec<HostSpec> {
    let mut specs: Vec<HostSpec> = Vec::new();
    for (endpoint, read_only) in endpoints {
        let taken: Vec<&str> = specs.iter().map(|s| s.name.as_str()).collect();
        let spec = HostSpec::new(endpoint, *read_only || all_read_only, &taken);
        specs.push(spec);
    }
    specs
}

/// SIGTERM or SIGHUP end dockpit the same way `q` does, restoring the terminal.
async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut hup)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) else {
        return std::future::pending().await;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = hup.recv() => {}
    }
}
