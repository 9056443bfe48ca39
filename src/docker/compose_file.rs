//! Compose projects from their files, read by the official tool (`docker compose config`),
//! never re-implemented: its interpolation, profiles, `include`, `extends` and env files are
//! the standard. Finding the tool (Compose v2: a CLI plugin or a standalone
//! `docker-compose`), reading a project's files, and the command lines of its verbs. Run off
//! the UI path (the event loop's blocking pool); the app keeps what was read, by mtime.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// Compose v2, found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tool {
    pub program: PathBuf,
    /// "2.40.3".
    pub version: String,
    /// A docker CLI plugin (its lines read `docker compose …`; else `docker-compose …`).
    pub plugin: bool,
}

/// The file names Compose looks for in a folder, in its order (the first found is the
/// project's file), and the override it adds to each.
const FILE_NAMES: [(&str, &str); 4] = [
    ("compose.yaml", "compose.override.yaml"),
    ("compose.yml", "compose.override.yml"),
    ("docker-compose.yml", "docker-compose.override.yml"),
    ("docker-compose.yaml", "docker-compose.override.yaml"),
];

/// Where the docker CLI looks for plugins, after `$DOCKER_CONFIG/cli-plugins` (or
/// `~/.docker/cli-plugins`).
const PLUGIN_DIRS: [&str; 4] = [
    "/usr/local/lib/docker/cli-plugins",
    "/usr/local/libexec/docker/cli-plugins",
    "/usr/lib/docker/cli-plugins",
    "/usr/libexec/docker/cli-plugins",
];

/// What to do when no Compose v2 is found.
pub const INSTALL: &str = "install Compose v2 (the docker-compose-plugin package from Docker's apt repository, or docker-compose 2.x from Debian 13 and later), or name it with [compose] program in the config";

/// Finds Compose v2: `configured` (`[compose] program`), the docker CLI plugin folders,
/// then `docker-compose` on `PATH`; asks it its version. `Err`: why none serves (missing,
/// or Compose v1, which is refused: its flags and file handling differ from v2's).
pub fn find_tool(configured: Option<&Path>) -> Result<Tool, String> {
    let mut candidates: Vec<(PathBuf, bool)> = Vec::new();
    if let Some(path) = configured {
        // Named by the user: that one or none.
        if !path.is_file() {
            return Err(format!(
                "Compose not found at {} ([compose] program): {INSTALL}",
                path.display()
            ));
        }
        let plugin = path.parent().is_some_and(|d| d.ends_with("cli-plugins"));
        candidates.push((path.to_path_buf(), plugin));
    }
    let config_dir = std::env::var_os("DOCKER_CONFIG")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".docker")));
    let plugin_dirs = config_dir
        .map(|d| d.join("cli-plugins"))
        .into_iter()
        .chain(PLUGIN_DIRS.iter().map(PathBuf::from));
    candidates.extend(plugin_dirs.map(|d| (d.join("docker-compose"), true)));
    let path = std::env::var_os("PATH").unwrap_or_default();
    candidates.extend(std::env::split_paths(&path).map(|d| (d.join("docker-compose"), false)));
    let Some((program, plugin)) = candidates.into_iter().find(|(p, _)| p.is_file()) else {
        return Err(format!(
            "Compose v2 not found (docker CLI plugin folders, PATH): {INSTALL}"
        ));
    };
    let out = Command::new(&program)
        .args(["version", "--short"])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
    check_version(&program, &version)?;
    Ok(Tool {
        program,
        version: version.trim_start_matches('v').to_string(),
        plugin,
    })
}

/// Compose v2 or later; v1 (1.29, Python) is refused with the reason.
fn check_version(program: &Path, version: &str) -> Result<(), String> {
    let major = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .unwrap_or("");
    match major.parse::<u32>() {
        Ok(n) if n >= 2 => Ok(()),
        Ok(_) => Err(format!(
            "{} is Compose v1 ({version}), which dockpit does not drive: its flags and file handling differ from v2's; {INSTALL}",
            program.display()
        )),
        Err(_) => Err(format!(
            "{} does not say which Compose it is (version {version:?}); {INSTALL}",
            program.display()
        )),
    }
}

/// A project's files: a folder (Compose's own file names in it) or files a project's labels
/// name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    Dir(PathBuf),
    Files(Vec<PathBuf>),
}

impl Source {
    /// The files Compose reads for it (for a folder: its file and the override, when there).
    pub fn files(&self) -> Vec<PathBuf> {
        match self {
            Source::Files(files) => files.clone(),
            Source::Dir(dir) => FILE_NAMES
                .iter()
                .find(|(name, _)| dir.join(name).is_file())
                .map(|(name, over)| {
                    let mut files = vec![dir.join(name)];
                    files.extend(Some(dir.join(over)).filter(|o| o.is_file()));
                    files
                })
                .unwrap_or_default(),
        }
    }

    /// Each file's modification time (and the folder's `.env`, which interpolation reads):
    /// what changed is read again.
    pub fn stamp(&self) -> Stamp {
        let files = self.files();
        let env = files
            .first()
            .and_then(|f| f.parent())
            .map(|d| d.join(".env"));
        files
            .into_iter()
            .chain(env)
            .map(|f| {
                let mtime = std::fs::metadata(&f).and_then(|m| m.modified()).ok();
                (f, mtime)
            })
            .collect()
    }
}

/// Files and their modification times (`None`: missing).
pub type Stamp = BTreeMap<PathBuf, Option<SystemTime>>;

/// A project as its files describe it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProjectFile {
    pub name: String,
    /// The rendered file, as `config --format json` printed it (the `config` view).
    pub json: String,
    /// The project's folder (the first file's).
    pub dir: PathBuf,
    pub files: Vec<PathBuf>,
    pub services: Vec<ServiceSpec>,
}

/// A service as the file describes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceSpec {
    pub name: String,
    /// The image it runs: the file's, else the one Compose builds (`PROJECT-SERVICE`).
    pub image: String,
    pub build: bool,
    /// "127.0.0.1:8080->80/tcp".
    pub ports: Vec<String>,
    pub replicas: u32,
    /// Compose's hash of its configuration (`config --hash`), which Compose writes on its
    /// containers as `com.docker.compose.config-hash`.
    pub hash: String,
}

/// A project's files read: `config --format json` and `config --hash '*'`. `Err`: the tool's
/// own words (a broken file).
pub fn read(tool: &Tool, source: &Source) -> Result<ProjectFile, String> {
    let files = source.files();
    // Not run for files that are not here (a label's, of another machine or removed).
    if !files.iter().any(|f| f.is_file()) {
        return Err("no compose file here any more".into());
    }
    let run = |args: &[&str]| -> Result<String, String> {
        let mut command = Command::new(&tool.program);
        for f in &files {
            command.arg("-f").arg(f);
        }
        let out = command
            .args(args)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", tool.program.display()))?;
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
            return Err(if err.is_empty() {
                format!("compose config failed ({})", out.status)
            } else {
                err
            });
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let json = run(&["config", "--format", "json"])?;
    let hashes = run(&["config", "--hash", "*"])?;
    parse(&json, &hashes, files)
}

/// A project from `config --format json` and `config --hash '*'` (one "service hash" a line).
pub fn parse(json: &str, hashes: &str, files: Vec<PathBuf>) -> Result<ProjectFile, String> {
    let doc: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("compose config said no JSON: {e}"))?;
    let name = doc["name"].as_str().unwrap_or_default().to_string();
    let hashes: BTreeMap<&str, &str> = hashes
        .lines()
        .filter_map(|l| l.trim().split_once(' '))
        .collect();
    let mut services: Vec<ServiceSpec> = (doc["services"].as_object().into_iter().flatten())
        .map(|(service, spec)| ServiceSpec {
            name: service.clone(),
            image: spec["image"]
                .as_str()
                .map_or_else(|| format!("{name}-{service}"), str::to_string),
            build: spec.get("build").is_some_and(|b| !b.is_null()),
            ports: (spec["ports"].as_array().into_iter().flatten())
                .map(port)
                .collect(),
            replicas: spec["deploy"]["replicas"]
                .as_u64()
                .or_else(|| spec["scale"].as_u64())
                .map_or(1, |n| u32::try_from(n).unwrap_or(u32::MAX)),
            hash: hashes.get(service.as_str()).unwrap_or(&"").to_string(),
        })
        .collect();
    services.sort_by(|a, b| a.name.cmp(&b.name));
    let dir = (files.first().and_then(|f| f.parent()))
        .map(Path::to_path_buf)
        .unwrap_or_default();
    Ok(ProjectFile {
        name,
        json: json.to_string(),
        dir,
        files,
        services,
    })
}

/// A published port as `docker ps` writes it ("127.0.0.1:8080->80/tcp").
fn port(p: &serde_json::Value) -> String {
    let target = p["target"].as_u64().unwrap_or_default();
    let protocol = p["protocol"].as_str().unwrap_or("tcp");
    let published = p["published"]
        .as_str()
        .map(str::to_string)
        .or_else(|| p["published"].as_u64().map(|n| n.to_string()));
    match (published, p["host_ip"].as_str()) {
        (Some(out), Some(ip)) => format!("{ip}:{out}->{target}/{protocol}"),
        (Some(out), None) => format!("{out}->{target}/{protocol}"),
        (None, _) => format!("{target}/{protocol}"),
    }
}

/// A project's place for its verbs: its name, its files (none: by name alone, as `docker
/// compose -p NAME stop` acts on a project whose files are not here).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProjectRef {
    pub name: String,
    pub files: Vec<PathBuf>,
}

impl ProjectRef {
    /// The words after the program: `-p NAME [-f FILE]… VERB…`.
    pub fn args(&self, verb: &[String]) -> Vec<String> {
        let mut args = vec!["-p".to_string(), self.name.clone()];
        for f in &self.files {
            args.push("-f".into());
            args.push(f.display().to_string());
        }
        args.extend(verb.iter().cloned());
        args
    }
}

impl Tool {
    /// The words that run it (`[program]`), and the ones the command log shows
    /// (`docker compose` for a plugin, as a person types it).
    pub fn argv(&self, args: &[String]) -> (Vec<String>, Vec<String>) {
        let run = std::iter::once(self.program.display().to_string())
            .chain(args.iter().cloned())
            .collect();
        let shown = match self.plugin {
            true => vec!["docker".to_string(), "compose".to_string()],
            false => vec!["docker-compose".to_string()],
        };
        (run, shown.into_iter().chain(args.iter().cloned()).collect())
    }
}

/// What a scan is asked: the tool (found already, else found now from `configured`), and
/// each source with the stamp of its last read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanRequest {
    pub configured: Option<PathBuf>,
    pub tool: Option<Tool>,
    pub sources: Vec<(Source, Option<Stamp>)>,
}

/// A scan's answer: the tool, and each source read again because its files changed (those
/// unchanged are not in it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    pub tool: Result<Tool, String>,
    pub reads: Vec<(Source, Stamp, Result<ProjectFile, String>)>,
}

/// Projects read at once (each read is two runs of the tool, ~0.3 s each).
const AT_ONCE: usize = 4;

/// Reads what changed since the stamps given (blocking: run it off the UI path), a few
/// projects at once.
pub fn scan(request: ScanRequest) -> Scan {
    let tool = match request.tool {
        Some(tool) => Ok(tool),
        None => find_tool(request.configured.as_deref()),
    };
    let changed: Vec<(Source, Stamp)> = (request.sources.into_iter())
        .filter_map(|(source, known)| {
            let stamp = source.stamp();
            (known.as_ref() != Some(&stamp)).then_some((source, stamp))
        })
        .collect();
    let mut reads = Vec::with_capacity(changed.len());
    for batch in changed.chunks(AT_ONCE) {
        std::thread::scope(|scope| {
            let running: Vec<_> = (batch.iter())
                .map(|(source, _)| {
                    let tool = &tool;
                    scope.spawn(move || match tool {
                        Ok(tool) => read(tool, source),
                        Err(why) => Err(why.clone()),
                    })
                })
                .collect();
            for ((source, stamp), thread) in batch.iter().zip(running) {
                let result = (thread.join())
                    .unwrap_or_else(|_| Err("reading the compose file failed".into()));
                reads.push((source.clone(), stamp.clone(), result));
            }
        });
    }
    Scan { tool, reads }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: &str = r#"{"name":"shop","services":{
        "web":{"image":"busybox:1","ports":[{"host_ip":"127.0.0.1","target":80,"published":"8080","protocol":"tcp"}]},
        "app":{"build":{"context":"/src/shop"},"deploy":{"replicas":2}}}}"#;

    #[test]
    fn the_tools_json_and_hashes_make_a_project() {
        let p = parse(
            JSON,
            "app 1111\nweb 2222\n",
            vec![PathBuf::from("/src/shop/compose.yml")],
        )
        .expect("parses");
        assert_eq!(p.name, "shop");
        assert_eq!(p.dir, PathBuf::from("/src/shop"));
        let names: Vec<&str> = p.services.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["app", "web"]);
        let (app, web) = (&p.services[0], &p.services[1]);
        assert_eq!(
            (app.image.as_str(), app.build, app.replicas),
            ("shop-app", true, 2)
        );
        assert_eq!(app.hash, "1111");
        assert_eq!(web.ports, ["127.0.0.1:8080->80/tcp"]);
        assert_eq!(
            (web.image.as_str(), web.build, web.replicas),
            ("busybox:1", false, 1)
        );
        assert!(parse("not json", "", vec![]).is_err());
    }

    #[test]
    fn compose_v1_is_refused_and_v2_taken() {
        let p = Path::new("/usr/bin/docker-compose");
        let v1 = check_version(p, "1.29.2").expect_err("v1 refused");
        assert!(v1.contains("Compose v1 (1.29.2)") && v1.contains("install Compose v2"));
        assert!(check_version(p, "2.40.3-3").is_ok());
        assert!(check_version(p, "v2.27.0").is_ok());
        assert!(check_version(p, "").is_err());
    }

    #[test]
    fn a_missing_tool_says_what_to_install() {
        let why = find_tool(Some(Path::new("/nonexistent/docker-compose")))
            .expect_err("a program named but missing is not looked for elsewhere");
        assert!(why.contains("/nonexistent/docker-compose") && why.contains("install Compose v2"));
    }

    #[test]
    fn a_scan_reads_what_changed_only() {
        let dir = std::env::temp_dir().join(format!("dockpit-scan-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("folder");
        std::fs::write(dir.join("compose.yaml"), "services: {}\n").expect("file");
        let empty = dir.join("nothing-here");
        std::fs::create_dir_all(&empty).expect("folder");
        let request = |known: Option<Stamp>| ScanRequest {
            configured: Some(PathBuf::from("/nonexistent/docker-compose")),
            tool: None,
            sources: vec![(Source::Dir(dir.clone()), known)],
        };
        let first = scan(request(None));
        assert!(first.tool.is_err());
        let [(source, stamp, result)] = first.reads.as_slice() else {
            panic!("{:?}", first.reads);
        };
        assert_eq!(source.files(), [dir.join("compose.yaml")]);
        assert!(
            result
                .as_ref()
                .is_err_and(|why| why.contains("install Compose v2"))
        );
        // Unchanged: not read again.
        assert!(scan(request(Some(stamp.clone()))).reads.is_empty());
        // A folder without a compose file has no files, and says so when read.
        assert!(Source::Dir(empty).files().is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn lines_name_the_project_and_its_files() {
        let r = ProjectRef {
            name: "shop".into(),
            files: vec![PathBuf::from("/src/shop/compose.yml")],
        };
        let tool = Tool {
            program: PathBuf::from("/usr/libexec/docker/cli-plugins/docker-compose"),
            version: "2.40.3".into(),
            plugin: true,
        };
        let (run, shown) = tool.argv(&r.args(&["up".into(), "-d".into()]));
        assert_eq!(run[0], "/usr/libexec/docker/cli-plugins/docker-compose");
        assert_eq!(
            shown.join(" "),
            "docker compose -p shop -f /src/shop/compose.yml up -d"
        );
    }
}
