//! Process measures shared by the examples that time themselves (Linux `/proc`; 0 elsewhere).

/// CPU time of the process (user + system), seconds: the machine is shared, wall time is not
/// what one core does.
pub fn cpu_s() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let apres = s.rsplit(')').next()?.to_string();
            let f: Vec<&str> = apres.split_whitespace().collect();
            Some((f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?) / 100.0)
        })
        .unwrap_or(0.0)
}
