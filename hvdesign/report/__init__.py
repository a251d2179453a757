"""The self-contained HTML report: its sections (:mod:`~hvdesign.report.sections`),
made into one page in this process (:mod:`~hvdesign.report.build`) or the notebook way
(:mod:`~hvdesign.report.kernel`), its files (:mod:`~hvdesign.report.assets`), and two
designs side by side (:mod:`~hvdesign.report.compare`)."""
