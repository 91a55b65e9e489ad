//! C ABI of `mpe::messagerie` (to come).
