//! The top view (`T`, `:top`): every running container of every watched host with its CPU,
//! memory, network and block I/O, read one-shot at a pace each daemon can bear.

pub mod schedule;

#[cfg(test)]
mod tests;
