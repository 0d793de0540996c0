package loaders

// SetRetractChunk makes --sync retract n facts per transaction until the
// returned func restores the default (tests of the chunked path).
func SetRetractChunk(n int) (restore func()) {
	old := retractChunk
	retractChunk = n
	return func() { retractChunk = old }
}
