extension SummaryWriter {
    /// Writes `data` as `hparams.summary_v2` does (its tag, its metadata, at step 0): the experiment in the
    /// log folder's root run, a session's start and end infos in the session's run folder.
    ///
    /// - Throws: as ``scalar(_:value:step:)``.
    public func hparams(_ data: HParamsPluginData) throws(SummaryWriterError) {
        try write(data.summaryValue, step: 0)
    }
}
