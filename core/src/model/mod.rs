//! The consultation model (à venir).
