//! C ABI of the consultation model and rules (to come).
