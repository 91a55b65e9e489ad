//! C ABI of `mpe::crypto` (to come).
