//! `docker build` through the Engine API: the context streamed as a tar (`context`, with
//! `.dockerignore` applied as the CLI applies it: `ignore`), the classic builder's stream
//! read as steps (`steps`).
//!
//! The classic builder on every engine: BuildKit (`/build?version=2`) does take a tar
//! context without a session, but sends its progress only as base64 protobuf
//! `StatusResponse` messages (`moby.buildkit.trace`), which would need BuildKit's protobuf
//! types (bollard's `buildkit` feature: tonic, prost and a gRPC session it requires).

pub mod context;
pub mod ignore;
pub mod steps;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use bollard::Docker;
use bollard::query_parameters::{BuildImageOptions, BuilderVersion};
use futures::StreamExt;

use super::actions::{OpError, Progress};
use crate::build_spec::{BuildSpec, LARGE_CONTEXT};
use crate::format::human_size;
pub use steps::BuildProgress;

/// Builds `spec`: the context checked and sized, streamed, the steps reported as they come;
/// answers with the image made (its tags set).
pub async fn build(
    docker: &Docker,
    spec: &BuildSpec,
    progress: &impl Fn(Progress),
) -> Result<String, OpError> {
    let report = |p: BuildProgress| progress(Progress::Build(p));
    let context = prepare(spec, &report).await?;
    let lines = steps::instruction_lines(&context.dockerfile);
    let sent = Arc::new(context::Sent::default());
    let body = bollard::body_try_stream(context.stream(sent.clone()));
    // The client's 30 s per request would cut a large context's upload: the daemon
    // answers only once it holds all of it. `c` cancels a build that takes too long.
    let docker = with_more_tags(docker, spec).with_timeout(UPLOAD_TIMEOUT);
    let stream = docker.build_image(options(spec), None, Some(body));
    let id = follow(stream, &sent, &lines, &report).await?;
    report(BuildProgress::Built { id: id.clone() });
    let short = crate::format::short_id(&id).to_string();
    Ok(match spec.tags.first() {
        Some(_) => format!("Built {} ({short})", tags(spec)),
        None => format!("Built {short}"),
    })
}

/// The context opened and sized off the async threads; one over 1 GiB is not sent unless
/// the user said so (the app asks).
async fn prepare(
    spec: &BuildSpec,
    report: &impl Fn(BuildProgress),
) -> Result<context::Context, OpError> {
    let (root, dockerfile) = (spec.context.clone(), spec.dockerfile.clone());
    let (context, bytes) = tokio::task::spawn_blocking(move || {
        let context =
            context::open(&root, &dockerfile).map_err(|e| OpError::with_hint(e.0, HINT))?;
        let bytes = context
            .size()
            .map_err(|e| OpError::new(format!("reading the context: {e}")))?;
        Ok::<_, OpError>((context, bytes))
    })
    .await
    .map_err(|e| OpError::new(e.to_string()))??;
    if bytes > LARGE_CONTEXT && !spec.large_ok {
        report(BuildProgress::Large { bytes });
        return Err(OpError::new(format!(
            "not sent: the context is {}, over 1 GiB",
            human_size(i64::try_from(bytes).unwrap_or(i64::MAX))
        )));
    }
    Ok(context)
}

/// The builder's answer, read to its end: the context's bytes while it goes (the daemon
/// answers only once it holds all of it), then each line; the image's id, or the failure.
async fn follow(
    stream: impl futures::Stream<Item = Result<bollard::models::BuildInfo, bollard::errors::Error>>,
    sent: &context::Sent,
    lines: &[usize],
    report: &impl Fn(BuildProgress),
) -> Result<String, OpError> {
    let mut stream = std::pin::pin!(stream);
    let started = Instant::now();
    let mut text = steps::Lines::default();
    let (mut built, mut context_done, mut last_sent) = (None, false, 0);
    loop {
        let item = if context_done {
            stream.next().await
        } else {
            match tokio::time::timeout(Duration::from_millis(200), stream.next()).await {
                Ok(item) => {
                    context_done = true;
                    let bytes = sent.bytes.load(Ordering::Relaxed);
                    let elapsed_ms = started.elapsed().as_millis();
                    tracing::info!(bytes, elapsed_ms, "build context sent");
                    report(BuildProgress::Context { bytes, done: true });
                    item
                }
                Err(_) => {
                    let bytes = sent.bytes.load(Ordering::Relaxed);
                    if bytes != last_sent {
                        last_sent = bytes;
                        report(BuildProgress::Context { bytes, done: false });
                    }
                    continue;
                }
            }
        };
        let Some(item) = item else { break };
        let at = started.elapsed();
        let info = item.map_err(|e| {
            let message = match (e, sent.failed.get()) {
                (_, Some(why)) => why.clone(),
                (bollard::errors::Error::DockerStreamError { error }, None) => error,
                (other, None) => OpError::from(other).message,
            };
            let code = steps::exit_code(&message);
            report(BuildProgress::Failed {
                message: message.clone(),
                code,
                at,
            });
            OpError::new(message)
        })?;
        if let Some(id) = info.aux.and_then(|a| a.id) {
            built = Some(id);
        }
        for line in text.feed(info.stream.as_deref().unwrap_or_default()) {
            if let Some(id) = read_line(&line, lines, at, report) {
                built.get_or_insert(id);
            }
        }
    }
    if let Some(rest) = text.rest() {
        read_line(&rest, lines, started.elapsed(), report);
    }
    built.ok_or_else(|| OpError::new("the daemon ended the build without an image"))
}

/// How long a context's upload may take before the build fails.
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(24 * 3600);

/// What to do about a context refused.
pub const HINT: &str = "Choose the context folder (Tab completes it) and a Dockerfile inside it.";

/// One whole line of the builder's text, reported; the image id of `Successfully built`.
fn read_line(
    line: &str,
    lines: &[usize],
    at: Duration,
    report: &impl Fn(BuildProgress),
) -> Option<String> {
    match steps::classify(line) {
        steps::Classic::Step {
            number,
            total,
            instruction,
        } => report(BuildProgress::Step {
            number,
            total,
            instruction,
            line: number.checked_sub(1).and_then(|i| lines.get(i)).copied(),
            at,
        }),
        steps::Classic::Cached => report(BuildProgress::Cached),
        steps::Classic::StepImage => report(BuildProgress::StepDone { at }),
        steps::Classic::Chatter => {}
        steps::Classic::Built(id) => return Some(id),
        steps::Classic::Output(text) if text.trim().is_empty() => {}
        steps::Classic::Output(text) => report(BuildProgress::Output(text)),
    }
    None
}

fn tags(spec: &BuildSpec) -> String {
    let tags: Vec<String> = spec.tags.iter().map(ToString::to_string).collect();
    tags.join(", ")
}

fn options(spec: &BuildSpec) -> BuildImageOptions {
    let map =
        |pairs: &[(String, String)]| (!pairs.is_empty()).then(|| pairs.iter().cloned().collect());
    BuildImageOptions {
        dockerfile: spec.dockerfile.clone(),
        t: spec.tags.first().map(|t| t.normalized()),
        nocache: spec.no_cache,
        pull: spec.pull.then(|| "1".to_string()),
        rm: true,
        buildargs: map(&spec.args),
        labels: map(&spec.labels),
        platform: spec.platform.clone(),
        target: spec.target.clone(),
        version: BuilderVersion::BuilderV1,
        ..Default::default()
    }
}

/// The Engine API takes several `t`; bollard's options one: the others are added to the
/// request's query.
fn with_more_tags(docker: &Docker, spec: &BuildSpec) -> Docker {
    let more: String = (spec.tags.iter().skip(1))
        .map(|t| format!("&t={}", super::raw::percent_encoded(&t.normalized())))
        .collect();
    if more.is_empty() {
        return docker.clone();
    }
    docker.clone().with_request_modifier(move |mut request| {
        if let Ok(uri) = format!("{}{more}", request.uri()).parse() {
            *request.uri_mut() = uri;
        }
        request
    })
}
