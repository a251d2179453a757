"""The self-contained HTML report of a scenario (a design with its rules, reliability
figures, prices and economics, :mod:`hvdesign.scenariofile`): its sections
(:mod:`~hvdesign.report.sections`), the figures they compute from marked as the user's
or shipped (:mod:`~hvdesign.report.parameters`), made into one page in this process
(:mod:`~hvdesign.report.build`) or the notebook way (:mod:`~hvdesign.report.kernel`),
its files (:mod:`~hvdesign.report.assets`), and two scenarios side by side
(:mod:`~hvdesign.report.compare`)."""
