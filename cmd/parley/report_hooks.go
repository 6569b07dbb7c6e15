package main

// The sections below belong to the analysis of versions: the version as
// written scored per party, the packages every party prefers to it, the
// concessions between versions, the trajectory across versions and what
// changes if a stance or weight changes. Each is called in its place by
// reportWriter.sections and writes nothing until the engine provides its
// value; the layout they should follow is that of the other sections: a
// heading (rw.opt.heading), paragraphs wrapped by rw.para, utilities by
// rw.utilityRow, packages by rw.choices, and one sentence when empty.

// scorecard writes the package the version proposes as written and each
// party's utility of it, right after the answer.
func (rw *reportWriter) scorecard() {
	if rw.s != nil {
		writeScorecard(rw.w, rw.r)
	}
}

// improvements writes the packages every party prefers to the version as
// written, spelled out by rw.choices against the version's proposal.
func (rw *reportWriter) improvements() {}

// concessions writes what each party gave up or gained since the parent
// version.
func (rw *reportWriter) concessions() {
	if rw.s != nil {
		writeConcessions(rw.w, rw.r)
	}
}

// trajectory writes each party's utility of every version as written, up
// to this one.
func (rw *reportWriter) trajectory() {
	if rw.s != nil {
		writeTrajectory(rw.w, rw.r)
	}
}

// whatIf writes who is counted, the date of the positions used, and the
// what-if changes applied to this analysis.
func (rw *reportWriter) whatIf() {
	if rw.s != nil {
		writeCounted(rw.w, rw.s, rw.r)
	}
}
