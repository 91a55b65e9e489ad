//! C ABI of `mpe::donnees` (to come).
