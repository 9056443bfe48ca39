//! dockpit: a live terminal dashboard for Docker.
//!
//! Data flows one way: Docker tasks (`docker`) → events → a synchronous
//! `App::update` (`app`) → a pure `ui::render` (`ui`).
#![forbid(unsafe_code)]

pub mod alerts;
pub mod app;
pub mod away;
pub mod build_spec;
pub mod cli;
pub mod config;
pub mod custom;
pub mod docker;
pub mod format;
pub mod forwards;
#[doc(hidden)]
pub mod fuzz;
pub mod layers_report;
pub mod layout;
pub mod local;
pub mod logging;
pub mod paths;
pub mod pty;
pub mod reference;
pub mod run;
pub mod run_spec;
#[cfg(test)]
mod test_inputs;
pub mod top_once;
pub mod ui;
