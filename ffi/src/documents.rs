//! C ABI of `mpe::documents` (to come).
