<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>About</name>
    <message>
        <location filename="../../twin_app/qt/about.py" line="17" />
        <source>Flood-control digital twin</source>
        <translation>防汛数字孪生</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/about.py" line="19" />
        <source>A desktop digital twin of Shanghai's flood-control works: BIM models on a terrain base at their true map position, live monitoring, warnings and rehearsals.</source>
        <translation>上海防汛工程桌面数字孪生：在真实地理位置的地形底板上展示 BIM 模型，接入实时监测，提供预警与预演。</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/about.py" line="24" />
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/about.py" line="25" />
        <source>Published facts about the works (location, sluice width, sill level, warning levels) come from public sources. Terrain, structure dimensions that are not published, sensor layouts and recorded events are illustrative, not survey or design data.</source>
        <translation>工程的公开信息（位置、闸孔总净宽、闸底板高程、警戒水位）来自公开资料。地形、未公开的结构尺寸、测点布置和历史事件均为示意数据，并非测量或设计数据。</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/about.py" line="41" />
        <source>Heights</source>
        <translation>高程</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/about.py" line="52" />
        <source>About</source>
        <translation>关于</translation>
    </message>
</context>
<context>
    <name>AlarmDock</name>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="77" />
        <source>Alarms</source>
        <translation>报警</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="79" />
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="79" />
        <source>Sensor</source>
        <translation>测点</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="79" />
        <location filename="../../twin_app/qt/alarm_dock.py" line="112" />
        <source>Alarm</source>
        <translation>报警</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="79" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="80" />
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="80" />
        <source>Raised (Beijing time)</source>
        <translation>发生时间（北京时间）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="81" />
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="82" />
        <source>Shelve 1 h</source>
        <translation>搁置 1 小时</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="105" />
        <source>Unacknowledged</source>
        <translation>未确认</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="106" />
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="107" />
        <source>Cleared, unacknowledged</source>
        <translation>已恢复，未确认</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="108" />
        <source>Shelved</source>
        <translation>已搁置</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="112" />
        <source>Advisory</source>
        <translation>提示</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="112" />
        <source>Warning</source>
        <translation>预警</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="113" />
        <source>Critical</source>
        <translation>紧急</translation>
    </message>
</context>
<context>
    <name>AlarmsTile</name>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="270" />
        <source>Alarms: {unack} unacknowledged of {active}</source>
        <translation>报警 {active} 条，未确认 {unack} 条</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="276" />
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="276" />
        <source>Sensor</source>
        <translation>测点</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="276" />
        <location filename="../../twin_app/qt/wall/tiles.py" line="297" />
        <source>Alarm</source>
        <translation>报警</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="276" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="277" />
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="277" />
        <source>Raised</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="278" />
        <source>No alarms</source>
        <translation>无报警</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="291" />
        <source>Unacknowledged</source>
        <translation>未确认</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="292" />
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="293" />
        <source>Cleared, unacknowledged</source>
        <translation>已恢复，未确认</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="297" />
        <source>Advisory</source>
        <translation>提示</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="297" />
        <source>Warning</source>
        <translation>预警</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="298" />
        <source>Critical</source>
        <translation>紧急</translation>
    </message>
</context>
<context>
    <name>BimToolBar</name>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="70" />
        <source>BIM tools</source>
        <translation>BIM 工具</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="71" />
        <source>Section plane</source>
        <translation>剖切面</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="72" />
        <source>Cut models and terrain with a plane you can drag</source>
        <translation>用可拖动的平面剖切模型和地形</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="73" />
        <source>Section box</source>
        <translation>剖切盒</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="74" />
        <source>Keep only what lies inside a box you can resize</source>
        <translation>只显示可调整大小的盒子内的部分</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="75" />
        <source>Measure</source>
        <translation>测量</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="77" />
        <source>Click two points: distance, rise and elevations in the scene datum</source>
        <translation>点击两点：距离、高差及场景高程基准下的高程</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="78" />
        <location filename="../../twin_app/qt/bim_toolbar.py" line="205" />
        <source>Show all</source>
        <translation>全部显示</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="79" />
        <source>Show hidden and X-rayed elements again</source>
        <translation>重新显示已隐藏和透视的构件</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="193" />
        <source>Fly to</source>
        <translation>飞至</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="194" />
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="195" />
        <source>Isolate</source>
        <translation>单独显示</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="196" />
        <source>X-ray</source>
        <translation>透视</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="198" />
        <source>Hide all {ifc_class}</source>
        <translation>隐藏全部 {ifc_class}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="200" />
        <source>Isolate all {ifc_class}</source>
        <translation>单独显示全部 {ifc_class}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="202" />
        <source>X-ray all {ifc_class}</source>
        <translation>透视全部 {ifc_class}</translation>
    </message>
</context>
<context>
    <name>ChartDock</name>
    <message>
        <location filename="../../twin_app/qt/chart.py" line="46" />
        <source>Chart</source>
        <translation>曲线</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/chart.py" line="92" />
        <source>Select a sensor (in the scene tree or the 3D view) to chart it</source>
        <translation>在场景树或三维视图中选择一个测点以显示其曲线</translation>
    </message>
</context>
<context>
    <name>ChartTile</name>
    <message>
        <location filename="../../twin_app/qt/wall/gauges.py" line="225" />
        <source>Last {hours} hours</source>
        <translation>最近 {hours} 小时</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/gauges.py" line="239" />
        <source>The layout's chart names sensors this scene lacks: {ids}</source>
        <translation>布局中的曲线图列出了本场景没有的测点：{ids}</translation>
    </message>
</context>
<context>
    <name>ClockTile</name>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="159" />
        <source>yyyy-MM-dd dddd</source>
        <translation>yyyy年M月d日 dddd</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="162" />
        <source>Live data</source>
        <translation>实时数据</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="166" />
        <source>Replay at {time}, {speed}× speed</source>
        <translation>回放 {time}，{speed} 倍速</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="169" />
        <source>Showing {time} (paused)</source>
        <translation>显示 {time}（已暂停）</translation>
    </message>
</context>
<context>
    <name>EnsembleView</name>
    <message>
        <location filename="../../twin_app/qt/ensemble_view.py" line="141" />
        <source>Exceedance at the gauges</source>
        <translation>测站超越概率</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/ensemble_view.py" line="143" />
        <source>Failed members ({count})</source>
        <translation>失败成员（{count}）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/ensemble_view.py" line="200" />
        <source>All {count} members succeeded</source>
        <translation>全部 {count} 个成员成功</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/ensemble_view.py" line="144" />
        <source>Probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/ensemble_view.py" line="204" />
        <source>Member {index} cancelled: {error}</source>
        <translation>成员 {index} 已取消：{error}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/ensemble_view.py" line="205" />
        <source>Member {index} failed: {error}</source>
        <translation>成员 {index} 失败：{error}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/ensemble_view.py" line="220" />
        <source>Run an ensemble to chart its exceedance curves</source>
        <translation>运行集合预报后在此绘制超越概率曲线</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/ensemble_view.py" line="256" />
        <source>Peak depth (m)</source>
        <translation>最大水深（m）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/ensemble_view.py" line="258" />
        <source>Peak water level (m, {datum})</source>
        <translation>最高水位（m，{datum}）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/ensemble_view.py" line="265" />
        <source>No member gives a value here (the point is off the model's grid)</source>
        <translation>没有成员在此处给出数值（该点不在模型网格内）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/ensemble_view.py" line="269" />
        <source>Largest peak depth {value:.2f} m (no member gives a water level here)</source>
        <translation>最大水深 {value:.2f} m（没有成员在此处给出水位）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/ensemble_view.py" line="271" />
        <source>Largest peak level {value:.2f} m; no warning level here</source>
        <translation>最高水位 {value:.2f} m；此处无警戒水位</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/ensemble_view.py" line="274" />
        <source>Peak level above the warning level {warning:g} m in {share:.0%} of the members ({members} of {count})</source>
        <translation>{share:.0%} 的成员最高水位超过警戒水位 {warning:g} m（{count} 个中 {members} 个）</translation>
    </message>
</context>
<context>
    <name>FeedStatusDock</name>
    <message>
        <location filename="../../twin_app/qt/feed_dock.py" line="36" />
        <source>Feeds</source>
        <translation>数据接入</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/feed_dock.py" line="38" />
        <source>Feed</source>
        <translation>数据源</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/feed_dock.py" line="38" />
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/feed_dock.py" line="38" />
        <source>Last message</source>
        <translation>最近消息</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/feed_dock.py" line="38" />
        <source>Readings</source>
        <translation>读数</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/feed_dock.py" line="39" />
        <source>Rejected</source>
        <translation>拒收</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/feed_dock.py" line="39" />
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/feed_dock.py" line="55" />
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/feed_dock.py" line="55" />
        <source>no</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>Gauge</name>
    <message>
        <location filename="../../twin_app/qt/wall/gauges.py" line="84" />
        <source>Running</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/gauges.py" line="84" />
        <source>Stopped</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/gauges.py" line="128" />
        <source>{level} {value}</source>
        <translation>{level} {value}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/gauges.py" line="130" />
        <source>Above {level} {value}</source>
        <translation>超{level} {value}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/gauges.py" line="132" />
        <source>Below {level} {value}</source>
        <translation>低于{level} {value}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/gauges.py" line="134" />
        <source>{rate} per hour</source>
        <translation>每小时 {rate}</translation>
    </message>
</context>
<context>
    <name>GaugesTile</name>
    <message>
        <location filename="../../twin_app/qt/wall/gauges.py" line="158" />
        <source>Key readings</source>
        <translation>关键指标</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/gauges.py" line="171" />
        <source>The layout's gauges name sensors this scene lacks: {ids}</source>
        <translation>布局中的指标列出了本场景没有的测点：{ids}</translation>
    </message>
</context>
<context>
    <name>LayerTreeDock</name>
    <message>
        <location filename="../../twin_app/qt/docks.py" line="79" />
        <source>Scene</source>
        <translation>场景</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/docks.py" line="80" />
        <source>Search name, IFC class or GlobalId</source>
        <translation>搜索名称、IFC 类或 GlobalId</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="233" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="234" />
        <source>&amp;Open scene…</source>
        <translation>打开场景(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="235" />
        <source>Open scene &amp;folder…</source>
        <translation>打开场景文件夹(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="236" />
        <source>&amp;Recent scenes</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="237" />
        <source>Save &amp;screenshot…</source>
        <translation>保存截图(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="238" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="239" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="240" />
        <source>&amp;Viewpoints</source>
        <translation>视点(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="241" />
        <source>&amp;Reset view</source>
        <translation>重置视图(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="242" />
        <source>&amp;Full screen</source>
        <translation>全屏(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="243" />
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="244" />
        <source>&amp;Monitoring</source>
        <translation>监测(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="245" />
        <source>&amp;Replay recorded event</source>
        <translation>回放历史事件(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="246" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="247" />
        <source>&amp;About…</source>
        <translation>关于(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="248" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="283" />
        <location filename="../../twin_app/qt/main_window.py" line="510" />
        <source>Flood-control digital twin</source>
        <translation>防汛数字孪生</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="292" />
        <source>Heights: {datum}</source>
        <translation>高程基准：{datum}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="311" />
        <source>Loading {scene}…</source>
        <translation>正在加载 {scene}…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="340" />
        <source>Scene not opened: {reason}</source>
        <translation>场景未能打开：{reason}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="341" />
        <source>The scene could not be opened.</source>
        <translation>无法打开该场景。</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="346" />
        <source>Loading cancelled</source>
        <translation>已取消加载</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="388" />
        <source>Opened {scene}</source>
        <translation>已打开 {scene}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="461" />
        <source>No such recorded event.</source>
        <translation>没有这个历史事件。</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="473" />
        <source>The event could not be read.</source>
        <translation>无法读取该事件。</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="479" />
        <source>Replaying {event} at {speed}x</source>
        <translation>正在以 {speed} 倍速回放 {event}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="494" />
        <source>Live readings will not be stored.</source>
        <translation>实时读数将不会被保存。</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="550" />
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="553" />
        <source>Save screenshot</source>
        <translation>保存截图</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="560" />
        <source>Open scene</source>
        <translation>打开场景</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="560" />
        <source>Scene:</source>
        <translation>场景：</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="566" />
        <source>Open scene folder</source>
        <translation>打开场景文件夹</translation>
    </message>
</context>
<context>
    <name>OutlookDock</name>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="175" />
        <source>Forecast and plans</source>
        <translation>预报与预案</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="176" />
        <source>Forecast at the gauges</source>
        <translation>测站预报</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="177" />
        <source>Forecast</source>
        <translation>预报</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="178" />
        <source>Ensemble (members on Dask)</source>
        <translation>集合预报（Dask 成员）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="179" />
        <source>Run ensemble</source>
        <translation>运行集合</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="180" />
        <source>Response plans</source>
        <translation>应急预案</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="181" />
        <source>Rehearse the chosen plan with and without its actions</source>
        <translation>预演所选预案（执行与不执行对比）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="182" />
        <source>Export brief (PDF)…</source>
        <translation>导出预案简报（PDF）…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="183" />
        <source>The rehearsed plan's brief: trigger, actions, units, checklist and the comparison with and without it</source>
        <translation>已预演预案的简报：触发条件、处置措施、责任单位、检查清单及执行与不执行预案的对比</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="185" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="268" />
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="273" />
        <source>{kind} failed: {error}</source>
        <translation>{kind} 失败：{error}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="279" />
        <source>Brief written: {path}</source>
        <translation>简报已写入：{path}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="299" />
        <source>Forecasting…</source>
        <translation>正在预报…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="316" />
        <source>Forecast issued {time}</source>
        <translation>预报发布时间 {time}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="343" />
        <source>Make a forecast first: the plan is rehearsed on it</source>
        <translation>请先生成预报：预案将基于该预报预演</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="357" />
        <source>Rehearsing {plan}…</source>
        <translation>正在预演 {plan}…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="377" />
        <source>Export brief (PDF)</source>
        <translation>导出预案简报（PDF）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="378" />
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="402" />
        <source>Writing the brief of {plan}…</source>
        <translation>正在写入 {plan} 的简报…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="421" />
        <source>Ensemble {name}: {count} members…</source>
        <translation>集合 {name}：{count} 个成员…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="433" />
        <source>The ensemble ended without results</source>
        <translation>集合运行结束但没有结果</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="436" />
        <source>The ensemble ended without results ({reason})</source>
        <translation>集合预报结束但无结果（{reason}）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="440" />
        <source>{count} members aggregated, {failed} failed</source>
        <translation>已汇总 {count} 个成员，失败 {failed} 个</translation>
    </message>
</context>
<context>
    <name>ProfileDock</name>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="140" />
        <source>Open a scene with terrain first</source>
        <translation>请先打开带地形的场景</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="161" />
        <source>No terrain under the cursor</source>
        <translation>光标处没有地形</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="196" />
        <source>Draw a line across a flood wall first: two clicks on the terrain, from the river to the land</source>
        <translation>请先画一条跨越防汛墙的线：在地形上点击两次，从河侧到陆侧</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="201" />
        <source>Section asked for: it opens in the seepage section panel</source>
        <translation>已请求生成断面：将在渗流断面面板中打开</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="264" />
        <source>Elevation profile</source>
        <translation>高程剖面</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="265" />
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="265" />
        <source>Draw line</source>
        <translation>绘制剖面线</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="266" />
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="267" />
        <source>Seepage section from this line</source>
        <translation>由此线生成渗流断面</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="269" />
        <source>Derive the seepage section along the line (first to last point) from the scene's BIM models, terrain and soil profile, and open it in the seepage section panel</source>
        <translation>沿此线（从第一点到最后一点）根据场景的 BIM 模型、地形和土层剖面生成渗流断面，并在渗流断面面板中打开</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="272" />
        <source>scene datum</source>
        <translation>场景高程基准</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="273" />
        <source>Height (m, {datum})</source>
        <translation>高程（m，{datum}）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="274" />
        <source>Distance along the line (m)</source>
        <translation>沿线距离（m）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="276" />
        <source>Click points on the terrain: {count}</source>
        <translation>在地形上点击取点：{count}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="279" />
        <source>{length} m, {crests} crest(s) crossed</source>
        <translation>{length} m，穿过 {crests} 处堤顶</translation>
    </message>
</context>
<context>
    <name>PropertiesDock</name>
    <message>
        <location filename="../../twin_app/qt/docks.py" line="271" />
        <source>Properties</source>
        <translation>属性</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/docks.py" line="272" />
        <source>Property</source>
        <translation>属性</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/docks.py" line="272" />
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/docks.py" line="290" />
        <source>IFC class</source>
        <translation>IFC 类</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/docks.py" line="290" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/docks.py" line="291" />
        <location filename="../../twin_app/qt/docks.py" line="318" />
        <location filename="../../twin_app/qt/docks.py" line="320" />
        <location filename="../../twin_app/qt/docks.py" line="323" />
        <source>Property sets</source>
        <translation>属性集</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/docks.py" line="291" />
        <source>reading…</source>
        <translation>读取中…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/docks.py" line="320" />
        <source>cannot be read: {error}</source>
        <translation>无法读取：{error}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/docks.py" line="323" />
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>RehearsalDock</name>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="131" />
        <source>Rehearsal</source>
        <translation>预演</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="132" />
        <source>Scenario or model</source>
        <translation>情景或模型</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="133" />
        <source>Duration and output interval</source>
        <translation>时长与输出间隔</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="134" />
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="135" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="136" />
        <source>Shown on the scene</source>
        <translation>场景中显示</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="137" />
        <source>Display</source>
        <translation>显示内容</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="138" />
        <source>Compared with (difference map, side by side)</source>
        <translation>对比方案（差值图、并排对比）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="139" />
        <source>Compare side by side</source>
        <translation>并排对比</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="141" />
        <source>Two 3D views on one camera and clock: the run shown, and the one compared</source>
        <translation>两个三维视图共用同一相机与时钟：当前显示的预演与对比方案</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="142" />
        <source>Probe a hydrograph (click the map)</source>
        <translation>查询过程线（点击地图）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="143" />
        <source>Water depth (plays on the clock)</source>
        <translation>水深（随时钟播放）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="143" />
        <source>Maximum depth</source>
        <translation>最大水深</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="144" />
        <source>Arrival time</source>
        <translation>淹没到达时间</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="144" />
        <source>Difference of maximum depth to…</source>
        <translation>与…的最大水深差</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="145" />
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="178" />
        <source>Model: {name}</source>
        <translation>模型：{name}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="214" />
        <source>Model {plugin} is not installed or broken: {reason}</source>
        <translation>模型 {plugin} 未安装或已损坏：{reason}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="242" />
        <source>Not started: {reason}</source>
        <translation>未启动：{reason}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="244" />
        <source>Running {label}…</source>
        <translation>正在运行 {label}…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="283" />
        <source>{label}: {state} {message}</source>
        <translation>{label}：{state} {message}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="321" />
        <source>Not compared: {reason}</source>
        <translation>未能对比：{reason}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="331" />
        <source>That point is outside the rehearsal's grid</source>
        <translation>该点不在预演网格范围内</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="335" />
        <source>depth (m)</source>
        <translation>水深（m）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="336" />
        <source>Hydrograph at E {x:.0f}, N {y:.0f}</source>
        <translation>过程线位置：东 {x:.0f}，北 {y:.0f}</translation>
    </message>
</context>
<context>
    <name>RehearsalTile</name>
    <message>
        <location filename="../../twin_app/qt/wall/rehearsal.py" line="132" />
        <source>Rehearsal playback</source>
        <translation>预演回放</translation>
    </message>
    <message>
        <source>No rehearsal is running; second view: {viewpoint}</source>
        <translation type="vanished">暂无运行中的预演；第二视角：{viewpoint}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/rehearsal.py" line="201" />
        <source>Image sequence: {count} frames</source>
        <translation>图像序列：{count} 帧</translation>
    </message>
    <message>
        <source>No rehearsal is running</source>
        <translation type="vanished">暂无运行中的预演</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/rehearsal.py" line="128" />
        <source>Rehearsal running · {percent} %</source>
        <translation>预演计算中 · {percent}%</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/rehearsal.py" line="131" />
        <source>Rehearsal playback (loop)</source>
        <translation>预演回放（循环）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/rehearsal.py" line="157" />
        <source>The rehearsal tile's viewpoint {id} is not in this scene</source>
        <translation>预演窗格的视点 {id} 不在本场景中</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/rehearsal.py" line="205" />
        <source>No rehearsal is shown on this wall</source>
        <translation>本大屏不显示预演</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/rehearsal.py" line="216" />
        <source>Model time (of {total} h)</source>
        <translation>模型时间（共 {total} 小时）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/rehearsal.py" line="219" />
        <source>Peak depth</source>
        <translation>最大淹没水深</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/rehearsal.py" line="221" />
        <source>Flooded area</source>
        <translation>淹没面积</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/rehearsal.py" line="227" />
        <source>Opening the latest rehearsal…</source>
        <translation>正在打开最新一次预演…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/rehearsal.py" line="229" />
        <source>Rehearsal started; waiting for its first results…</source>
        <translation>预演已启动，等待首批结果…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/rehearsal.py" line="234" />
        <source>Shows {time} · water that was not there at the start · run maximum {depth} m, {area} km²</source>
        <translation>显示 {time} · 统计起始时刻以外新增的积水 · 全程最大 {depth} m、{area} km²</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/rehearsal.py" line="240" />
        <source>No rehearsal of this scene yet: run one in a workstation's rehearsal panel to show it here</source>
        <translation>该场景尚无预演：在工作站的预演面板中运行一次，即在此显示</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/rehearsal.py" line="245" />
        <source>No rehearsal of this scene yet, and it has no scenario to start</source>
        <translation>该场景尚无预演，也没有可启动的预演方案</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/rehearsal.py" line="247" />
        <source>No rehearsal of this scene yet. The remote can start "{scenario}": POST /rehearsal/start</source>
        <translation>该场景尚无预演。遥控可启动“{scenario}”：POST /rehearsal/start</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/rehearsal.py" line="258" />
        <source>The rehearsal tile found no images for {pattern}</source>
        <translation>预演窗格未找到图像：{pattern}</translation>
    </message>
</context>
<context>
    <name>ReviewDock</name>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="121" />
        <source>Model review</source>
        <translation>模型评审</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="122" />
        <source>Author</source>
        <translation>作者</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="123" />
        <source>Topic title</source>
        <translation>问题标题</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="124" />
        <source>Comment on the chosen topic</source>
        <translation>对所选问题发表意见</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="125" />
        <source>New topic from this view</source>
        <translation>以当前视图新建问题</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="125" />
        <source>Go to its view</source>
        <translation>转到其视图</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="126" />
        <source>Add comment</source>
        <translation>添加意见</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="126" />
        <source>Export BCF…</source>
        <translation>导出 BCF…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="127" />
        <source>Import BCF…</source>
        <translation>导入 BCF…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="127" />
        <source>Meeting report (PDF)…</source>
        <translation>会议纪要（PDF）…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="128" />
        <source>Fly-through video…</source>
        <translation>漫游视频…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="128" />
        <source>Stop video</source>
        <translation>停止视频</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="131" />
        <source>Open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="131" />
        <source>In progress</source>
        <translation>处理中</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="131" />
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="134" />
        <source>Show the works as built on the clock's date (4D)</source>
        <translation>按时钟日期显示工程建设状态（4D）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="138" />
        <source>Actual progress</source>
        <translation>实际进度</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="138" />
        <source>Planned progress</source>
        <translation>计划进度</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="139" />
        <source>Planned vs actual</source>
        <translation>计划与实际对比</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="202" />
        <source>Topic {n}</source>
        <translation>问题 {n}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="265" />
        <location filename="../../twin_app/qt/review_dock.py" line="302" />
        <location filename="../../twin_app/qt/review_dock.py" line="330" />
        <source>Wrote {file}</source>
        <translation>已写入 {file}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="283" />
        <source>Imported {count} topics. {notes}</source>
        <translation>已导入 {count} 个问题。{notes}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="294" />
        <source>The model on {day}</source>
        <translation>{day} 的模型</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="319" />
        <source>Making {file}…</source>
        <translation>正在生成 {file}…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="333" />
        <source>The video was not made: {reason}</source>
        <translation>视频未生成：{reason}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="337" />
        <source>Export BCF</source>
        <translation>导出 BCF</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="343" />
        <source>Import BCF</source>
        <translation>导入 BCF</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="349" />
        <source>Meeting report</source>
        <translation>会议纪要</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="355" />
        <source>Fly-through video</source>
        <translation>漫游视频</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="389" />
        <source>{day}: {built} of {total} elements built ({which})</source>
        <translation>{day}：{total} 个构件中已建成 {built} 个（{which}）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="410" />
        <source>ahead of plan</source>
        <translation>超前</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="410" />
        <source>on plan</source>
        <translation>按计划</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="411" />
        <source>behind plan</source>
        <translation>滞后</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="416" />
        <source>{day}, planned against actual ({total} elements drawn):</source>
        <translation>{day}，计划与实际对比（显示 {total} 个构件）：</translation>
    </message>
</context>
<context>
    <name>SceneTile</name>
    <message>
        <location filename="../../twin_app/qt/wall/views.py" line="128" />
        <source>3D scene · {viewpoint}</source>
        <translation>三维场景 · {viewpoint}</translation>
    </message>
</context>
<context>
    <name>SectionDock</name>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="339" />
        <source>Checking {section}…</source>
        <translation>正在校核 {section}…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="366" />
        <source>Check failed: {error}</source>
        <translation>校核失败：{error}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="403" />
        <source>{when}, river {stage} m, {discharge} m³/s per m</source>
        <translation>{when}，河道水位 {stage} m，单宽渗流量 {discharge} m³/s</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="422" />
        <source>OK</source>
        <translation>满足</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="422" />
        <source>Fails</source>
        <translation>不满足</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="456" />
        <source>measured</source>
        <translation>实测</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="456" />
        <source>predicted</source>
        <translation>计算</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="457" />
        <source>flagged</source>
        <translation>已标记</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="458" />
        <source>Head (m) at {piezometer}</source>
        <translation>{piezometer} 水头（m）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="269" />
        <location filename="../../twin_app/qt/section_dock.py" line="487" />
        <source>Open a scene first</source>
        <translation>请先打开场景</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="272" />
        <source>A section is being derived already</source>
        <translation>已有断面正在生成</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="280" />
        <source>Deriving section {section} from the scene's BIM models, terrain and soils…</source>
        <translation>正在根据场景的 BIM 模型、地形和土层生成断面 {section}…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="311" />
        <source>No section: {error}</source>
        <translation>未生成断面：{error}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="312" />
        <source>Derivation cancelled</source>
        <translation>已取消生成</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="317" />
        <source>Section {section} derived: {length} m, {walls} wall(s), {piles} cut-off(s), {piezometers} piezometer(s); not saved yet</source>
        <translation>断面 {section} 已生成：长 {length} m，{walls} 道墙，{piles} 道截渗墙（板桩），{piezometers} 个测压管；尚未保存</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="330" />
        <location filename="../../twin_app/qt/section_dock.py" line="542" />
        <source>Not valid, cannot be checked: {problem}</source>
        <translation>断面无效，无法复核：{problem}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="503" />
        <source>Seepage section</source>
        <translation>渗流断面</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="504" />
        <location filename="../../twin_app/qt/section_dock.py" line="525" />
        <source>Check</source>
        <translation>校核</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="507" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="508" />
        <source>Run the section on the stored tide and piezometers; failed checks go to the alarm list</source>
        <translation>用已存储的潮位和测压管数据计算断面；不满足的校核项进入报警列表</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="513" />
        <source>Total head</source>
        <translation>总水头</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="513" />
        <source>Pore pressure</source>
        <translation>孔隙水压力</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="516" />
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="517" />
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="518" />
        <source>Show in 3D</source>
        <translation>在三维中显示</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="519" />
        <source>Show evidence</source>
        <translation>查看证据</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="520" />
        <source>Checks</source>
        <translation>校核项</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="520" />
        <source>Piezometers</source>
        <translation>测压管</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="521" />
        <source>Leak flags</source>
        <translation>渗漏标记</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="521" />
        <source>Evidence</source>
        <translation>证据</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="522" />
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="525" />
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="525" />
        <source>Limit</source>
        <translation>限值</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="525" />
        <source>Safety factor</source>
        <translation>安全系数</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="526" />
        <source>Required</source>
        <translation>要求值</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="526" />
        <source>Result</source>
        <translation>结论</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="528" />
        <location filename="../../twin_app/qt/section_dock.py" line="531" />
        <source>Piezometer</source>
        <translation>测压管</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="528" />
        <source>x / z (m)</source>
        <translation>x / z（m）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="528" />
        <source>Predicted (m)</source>
        <translation>计算值（m）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="529" />
        <source>Measured (m)</source>
        <translation>实测值（m）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="529" />
        <source>Difference (m)</source>
        <translation>差值（m）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="531" />
        <source>From</source>
        <translation>起始</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="531" />
        <source>Largest excess (m)</source>
        <translation>最大超出（m）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="532" />
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="533" />
        <source>Elevation (m)</source>
        <translation>高程（m）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="534" />
        <source>Distance from the river end (m)</source>
        <translation>距临水侧距离（m）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="535" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="538" />
        <source>{section}: {failed} check(s) failed, {leaks} leak flag(s)</source>
        <translation>{section}：{failed} 项校核不满足，{leaks} 处渗漏标记</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="545" />
        <source>{section}: valid, not checked yet</source>
        <translation>{section}：有效，尚未复核</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="548" />
        <source>This scene has no seepage sections</source>
        <translation>该场景没有渗流断面</translation>
    </message>
</context>
<context>
    <name>SectionEditor</name>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="168" />
        <source>Choose a section to edit</source>
        <translation>请选择要编辑的断面</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="170" />
        <source>Not valid, cannot be checked: {problem}</source>
        <translation>断面无效，无法复核：{problem}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="173" />
        <source>Valid, unsaved changes</source>
        <translation>有效，有未保存的修改</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="173" />
        <source>Valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="190" />
        <source>Edit not made: {error}</source>
        <translation>未修改：{error}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="236" />
        <source>Not saved: the section is not valid</source>
        <translation>未保存：断面无效</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="241" />
        <source>Not saved: {error}</source>
        <translation>未保存：{error}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="255" />
        <source>Save the section as</source>
        <translation>断面另存为</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="257" />
        <source>Section files (*.toml)</source>
        <translation>断面文件 (*.toml)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="268" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="268" />
        <source>Soil</source>
        <translation>土类</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="268" />
        <source>Top (m)</source>
        <translation>顶高程 (m)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="269" />
        <source>Bottom (m)</source>
        <translation>底高程 (m)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="269" />
        <source>kh (m/s)</source>
        <translation>水平渗透系数 kh (m/s)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="269" />
        <source>kv (m/s)</source>
        <translation>竖向渗透系数 kv (m/s)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="270" />
        <source>Ss (1/m)</source>
        <translation>储水率 Ss (1/m)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="270" />
        <source>Sy</source>
        <translation>给水度 Sy</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="270" />
        <source>Gs</source>
        <translation>土粒比重 Gs</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="271" />
        <source>Void ratio e</source>
        <translation>孔隙比 e</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="271" />
        <source>d70 (m)</source>
        <translation>粒径 d70 (m)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="272" />
        <source>d10 (m)</source>
        <translation>粒径 d10 (m)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="272" />
        <source>Soil type</source>
        <translation>土类型</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="273" />
        <source>From x (m)</source>
        <translation>起点 x (m)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="273" />
        <source>To x (m)</source>
        <translation>终点 x (m)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="274" />
        <source>Crest (m)</source>
        <translation>顶高程 (m)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="274" />
        <source>x (m)</source>
        <translation>x (m)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="274" />
        <source>Head (m)</source>
        <translation>桩顶 (m)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="275" />
        <source>Toe (m)</source>
        <translation>桩底 (m)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="275" />
        <source>Water level (m)</source>
        <translation>水位 (m)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="276" />
        <source>Piezometer</source>
        <translation>测压管</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="276" />
        <source>z (m)</source>
        <translation>z (m)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="284" />
        <source>River side</source>
        <translation>临水侧</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="285" />
        <source>Land side</source>
        <translation>背水侧</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="286" />
        <source>Layers</source>
        <translation>土层</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="286" />
        <source>Wall and cut-off</source>
        <translation>墙与截渗</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="287" />
        <source>Water levels</source>
        <translation>水位</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="287" />
        <source>Piezometers</source>
        <translation>测压管</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="289" />
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="290" />
        <source>Write the section back to its file (the file's comments are kept)</source>
        <translation>将断面写回其文件（保留文件中的注释）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="292" />
        <source>Save As…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="293" />
        <source>Revert</source>
        <translation>还原</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="294" />
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="295" />
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="297" />
        <source>Double-click a value to edit it. Soil values apply to every layer of that soil; a new soil name gives the layer a soil of its own. A new bottom moves the layer's base and the top of the layer beneath.</source>
        <translation>双击数值即可编辑。土的参数作用于该土类的所有土层；输入新的土类名称则该层使用独立的土类。修改底高程会同时移动该层底面和下层顶面。</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_editor.py" line="301" />
        <source>Edit the id and position here, or drag the markers in the section view</source>
        <translation>在此编辑编号和位置，或在断面图中拖动标记</translation>
    </message>
</context>
<context>
    <name>SideBySide</name>
    <message>
        <location filename="../../twin_app/qt/side_by_side.py" line="247" />
        <source>Back to one view</source>
        <translation>返回单视图</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/side_by_side.py" line="268" />
        <source>Same parameters as {other}</source>
        <translation>参数与 {other} 相同</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/side_by_side.py" line="271" />
        <source> and {count} more</source>
        <translation>，另有 {count} 项</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/side_by_side.py" line="277" />
        <source>No water yet: the clock is before this run starts</source>
        <translation>暂无水面：时钟早于该预演的开始时间</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/side_by_side.py" line="278" />
        <source>At +{hours} h: flooded {area} km², deepest {peak} m (water not there at the start; wet with rivers {wet} km²)</source>
        <translation>第 +{hours} 小时：淹没面积 {area} km²，最大淹没水深 {peak} m（起始时刻以外新增的积水；含河道的水面 {wet} km²）</translation>
    </message>
    <message>
        <source>At +{hours} h: peak depth {peak} m, flooded {area} km² (new: {new} km²)</source>
        <translation type="vanished">第 +{hours} 小时：最大水深 {peak} m，淹没面积 {area} km²（新增 {new} km²）</translation>
    </message>
</context>
<context>
    <name>StatusTile</name>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="218" />
        <source>Loading scene…</source>
        <translation>正在加载场景…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="221" />
        <source>Showing alarm {alarm}</source>
        <translation>正在显示报警 {alarm}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="224" />
        <source>Tour paused</source>
        <translation>巡视已暂停</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="226" />
        <source>Tour {index}/{count}, next in {seconds} s</source>
        <translation>巡视 {index}/{count}，{seconds} 秒后切换</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="230" />
        <source>Replaying {event}</source>
        <translation>正在回放 {event}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="232" />
        <source>Remote control {url}</source>
        <translation>遥控地址 {url}</translation>
    </message>
</context>
<context>
    <name>TerrainToolBar</name>
    <message>
        <location filename="../../twin_app/qt/terrain_tools.py" line="86" />
        <source>Terrain</source>
        <translation>地形</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/terrain_tools.py" line="87" />
        <source>Vertical exaggeration</source>
        <translation>垂直夸大</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/terrain_tools.py" line="88" />
        <source>Scale heights to read the low relief of the delta</source>
        <translation>放大高程以便识读三角洲的微地形</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/terrain_tools.py" line="89" />
        <source>Water plane</source>
        <translation>水面</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/terrain_tools.py" line="90" />
        <source>Level of the static water plane (scene datum)</source>
        <translation>静态水面高程（场景高程基准）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/terrain_tools.py" line="91" />
        <source> m</source>
        <translation> m</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/terrain_tools.py" line="100" />
        <source>×{factor}</source>
        <translation>×{factor}</translation>
    </message>
</context>
<context>
    <name>TimeBar</name>
    <message>
        <location filename="../../twin_app/qt/timebar.py" line="52" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/timebar.py" line="53" />
        <location filename="../../twin_app/qt/timebar.py" line="77" />
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/timebar.py" line="54" />
        <source>Follow the current time</source>
        <translation>跟随当前时间</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/timebar.py" line="55" />
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/timebar.py" line="56" />
        <source>Play the history at the chosen speed</source>
        <translation>按所选速度回放历史数据</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/timebar.py" line="57" />
        <source>Playback speed</source>
        <translation>回放速度</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/timebar.py" line="77" />
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/timebar.py" line="78" />
        <source>Beijing time</source>
        <translation>北京时间</translation>
    </message>
</context>
<context>
    <name>TitleTile</name>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="116" />
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/tiles.py" line="120" />
        <source>Heights in the {datum}; data marked illustrative are not observations</source>
        <translation>高程基准：{datum}；标为示意的数据并非实测</translation>
    </message>
</context>
<context>
    <name>ViewTile</name>
    <message>
        <location filename="../../twin_app/qt/wall/views.py" line="110" />
        <source>Whole scene</source>
        <translation>全场景</translation>
    </message>
</context>
<context>
    <name>WallWindow</name>
    <message>
        <location filename="../../twin_app/qt/wall/window.py" line="158" />
        <source>Flood command centre wall</source>
        <translation>防汛指挥中心大屏</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/window.py" line="200" />
        <source>Scene not opened: {reason}</source>
        <translation>场景未能打开：{reason}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/window.py" line="220" />
        <source>The tour's viewpoints {ids} are not in this scene</source>
        <translation>巡视视点 {ids} 不在本场景中</translation>
    </message>
</context>
<context>
    <name>self.window</name>
    <message>
        <location filename="../../twin_app/qt/scene_panels.py" line="162" />
        <source>P(depth &gt; {threshold} m)</source>
        <translation>P(水深 &gt; {threshold} m)</translation>
    </message>
</context>
</TS>
