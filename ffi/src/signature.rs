//! C ABI of `mpe::signature` (to come).
