//! C ABI of `mpe::procedure` (to come).
