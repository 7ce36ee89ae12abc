package restorehub

// Version is the version of this SDK, sent in the User-Agent header.
const Version = "0.1.0"
