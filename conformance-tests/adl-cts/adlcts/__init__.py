"""Replay of ADL's SCORM 2004 4th edition conformance suite (LMS part) against Somo.

The modules read the suite's test cases exactly as ADL's own test suite reads them
(see shared/CTS-FORMAT.md for the rules and where they come from):

  casefile  -- the *.properties case files and the decoder tables
  decode    -- a command line (METHOD->arg->ret->err) into the API call and its expectation
  manifest  -- the test packages' imsmanifest.xml: items, LMS-supplied values, shared data maps
  judge     -- how ADL's suite judges an answer (typed comparison of data model values)
  rte       -- a `somo rte` process driven through pipes
  replay    -- running the single-SCO cases through `somo rte`
  session   -- a `somo session` process driven through pipes, with a transcript
  seqreplay -- running the sequencing cases through `somo session` (deliveries, UI questions,
               commands, the tester's actions and relaunches)
"""
