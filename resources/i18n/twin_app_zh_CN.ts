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
        <location filename="../../twin_app/qt/main_window.py" line="506" />
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
        <location filename="../../twin_app/qt/main_window.py" line="457" />
        <source>No such recorded event.</source>
        <translation>没有这个历史事件。</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="469" />
        <source>The event could not be read.</source>
        <translation>无法读取该事件。</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="475" />
        <source>Replaying {event} at {speed}x</source>
        <translation>正在以 {speed} 倍速回放 {event}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="490" />
        <source>Live readings will not be stored.</source>
        <translation>实时读数将不会被保存。</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="546" />
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="549" />
        <source>Save screenshot</source>
        <translation>保存截图</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="556" />
        <source>Open scene</source>
        <translation>打开场景</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="556" />
        <source>Scene:</source>
        <translation>场景：</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="562" />
        <source>Open scene folder</source>
        <translation>打开场景文件夹</translation>
    </message>
</context>
<context>
    <name>OutlookDock</name>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="135" />
        <source>Forecast and plans</source>
        <translation>预报与预案</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="136" />
        <source>Forecast at the gauges</source>
        <translation>测站预报</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="137" />
        <source>Forecast</source>
        <translation>预报</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="138" />
        <source>Ensemble (members on Dask)</source>
        <translation>集合预报（Dask 成员）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="139" />
        <source>Run ensemble</source>
        <translation>运行集合</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="140" />
        <source>Response plans</source>
        <translation>应急预案</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="141" />
        <source>Rehearse the chosen plan with and without its actions</source>
        <translation>预演所选预案（执行与不执行对比）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="142" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="220" />
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="225" />
        <source>{kind} failed: {error}</source>
        <translation>{kind} 失败：{error}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="250" />
        <source>Forecasting…</source>
        <translation>正在预报…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="267" />
        <source>Forecast issued {time}</source>
        <translation>预报发布时间 {time}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="294" />
        <source>Make a forecast first: the plan is rehearsed on it</source>
        <translation>请先生成预报：预案将基于该预报预演</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="306" />
        <source>Rehearsing {plan}…</source>
        <translation>正在预演 {plan}…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="325" />
        <source>Ensemble {name}: {count} members…</source>
        <translation>集合 {name}：{count} 个成员…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="334" />
        <source>The ensemble ended without results</source>
        <translation>集合运行结束但没有结果</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/outlook_dock.py" line="337" />
        <source>{count} members aggregated, {failed} failed</source>
        <translation>已汇总 {count} 个成员，失败 {failed} 个</translation>
    </message>
</context>
<context>
    <name>ProfileDock</name>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="129" />
        <source>Open a scene with terrain first</source>
        <translation>请先打开带地形的场景</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="150" />
        <source>No terrain under the cursor</source>
        <translation>光标处没有地形</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="217" />
        <source>Elevation profile</source>
        <translation>高程剖面</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="218" />
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="218" />
        <source>Draw line</source>
        <translation>绘制剖面线</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="219" />
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="220" />
        <source>scene datum</source>
        <translation>场景高程基准</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="221" />
        <source>Height (m, {datum})</source>
        <translation>高程（m，{datum}）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="222" />
        <source>Distance along the line (m)</source>
        <translation>沿线距离（m）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="224" />
        <source>Click points on the terrain: {count}</source>
        <translation>在地形上点击取点：{count}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/profile_dock.py" line="227" />
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
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="124" />
        <source>Rehearsal</source>
        <translation>预演</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="125" />
        <source>Scenario or model</source>
        <translation>情景或模型</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="126" />
        <source>Duration and output interval</source>
        <translation>时长与输出间隔</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="127" />
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="128" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="129" />
        <source>Shown on the scene</source>
        <translation>场景中显示</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="130" />
        <source>Display</source>
        <translation>显示内容</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="131" />
        <source>Probe a hydrograph (click the map)</source>
        <translation>查询过程线（点击地图）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="132" />
        <source>Water depth (plays on the clock)</source>
        <translation>水深（随时钟播放）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="132" />
        <source>Maximum depth</source>
        <translation>最大水深</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="133" />
        <source>Arrival time</source>
        <translation>淹没到达时间</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="133" />
        <source>Difference of maximum depth to…</source>
        <translation>与…的最大水深差</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="134" />
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="167" />
        <source>Model: {name}</source>
        <translation>模型：{name}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="203" />
        <source>Model {plugin} is not installed or broken: {reason}</source>
        <translation>模型 {plugin} 未安装或已损坏：{reason}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="231" />
        <source>Not started: {reason}</source>
        <translation>未启动：{reason}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="233" />
        <source>Running {label}…</source>
        <translation>正在运行 {label}…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="266" />
        <source>{label}: {state} {message}</source>
        <translation>{label}：{state} {message}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="285" />
        <source>That point is outside the rehearsal's grid</source>
        <translation>该点不在预演网格范围内</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="289" />
        <source>depth (m)</source>
        <translation>水深（m）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/rehearsal_dock.py" line="290" />
        <source>Hydrograph at E {x:.0f}, N {y:.0f}</source>
        <translation>过程线位置：东 {x:.0f}，北 {y:.0f}</translation>
    </message>
</context>
<context>
    <name>RehearsalTile</name>
    <message>
        <location filename="../../twin_app/qt/wall/views.py" line="195" />
        <source>Rehearsal playback</source>
        <translation>预演回放</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/views.py" line="206" />
        <source>No rehearsal is running; second view: {viewpoint}</source>
        <translation>暂无运行中的预演；第二视角：{viewpoint}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/views.py" line="209" />
        <source>Image sequence: {count} frames</source>
        <translation>图像序列：{count} 帧</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/views.py" line="211" />
        <source>No rehearsal is running</source>
        <translation>暂无运行中的预演</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/views.py" line="224" />
        <source>The rehearsal tile's viewpoint {id} is not in this scene</source>
        <translation>预演窗格的视点 {id} 不在本场景中</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/views.py" line="237" />
        <source>The rehearsal tile found no images for {pattern}</source>
        <translation>预演窗格未找到图像：{pattern}</translation>
    </message>
</context>
<context>
    <name>ReviewDock</name>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="112" />
        <source>Model review</source>
        <translation>模型评审</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="113" />
        <source>Author</source>
        <translation>作者</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="114" />
        <source>Topic title</source>
        <translation>问题标题</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="115" />
        <source>Comment on the chosen topic</source>
        <translation>对所选问题发表意见</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="116" />
        <source>New topic from this view</source>
        <translation>以当前视图新建问题</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="116" />
        <source>Go to its view</source>
        <translation>转到其视图</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="117" />
        <source>Add comment</source>
        <translation>添加意见</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="117" />
        <source>Export BCF…</source>
        <translation>导出 BCF…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="118" />
        <source>Import BCF…</source>
        <translation>导入 BCF…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="118" />
        <source>Meeting report (PDF)…</source>
        <translation>会议纪要（PDF）…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="119" />
        <source>Fly-through video…</source>
        <translation>漫游视频…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="119" />
        <source>Stop video</source>
        <translation>停止视频</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="122" />
        <source>Open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="122" />
        <source>In progress</source>
        <translation>处理中</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="122" />
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="125" />
        <source>Show the works as built on the clock's date (4D)</source>
        <translation>按时钟日期显示工程建设状态（4D）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="129" />
        <source>Actual progress</source>
        <translation>实际进度</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="129" />
        <source>Planned progress</source>
        <translation>计划进度</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="192" />
        <source>Topic {n}</source>
        <translation>问题 {n}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="255" />
        <location filename="../../twin_app/qt/review_dock.py" line="292" />
        <location filename="../../twin_app/qt/review_dock.py" line="320" />
        <source>Wrote {file}</source>
        <translation>已写入 {file}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="273" />
        <source>Imported {count} topics. {notes}</source>
        <translation>已导入 {count} 个问题。{notes}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="284" />
        <source>The model on {day}</source>
        <translation>{day} 的模型</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="309" />
        <source>Making {file}…</source>
        <translation>正在生成 {file}…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="323" />
        <source>The video was not made: {reason}</source>
        <translation>视频未生成：{reason}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="327" />
        <source>Export BCF</source>
        <translation>导出 BCF</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="333" />
        <source>Import BCF</source>
        <translation>导入 BCF</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="339" />
        <source>Meeting report</source>
        <translation>会议纪要</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="345" />
        <source>Fly-through video</source>
        <translation>漫游视频</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/review_dock.py" line="374" />
        <source>{day}: {built} of {total} elements built ({which})</source>
        <translation>{day}：{total} 个构件中已建成 {built} 个（{which}）</translation>
    </message>
</context>
<context>
    <name>SceneTile</name>
    <message>
        <location filename="../../twin_app/qt/wall/views.py" line="164" />
        <source>3D scene · {viewpoint}</source>
        <translation>三维场景 · {viewpoint}</translation>
    </message>
</context>
<context>
    <name>SectionDock</name>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="180" />
        <source>Checking {section}…</source>
        <translation>正在校核 {section}…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="205" />
        <source>Check failed: {error}</source>
        <translation>校核失败：{error}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="242" />
        <source>{when}, river {stage} m, {discharge} m³/s per m</source>
        <translation>{when}，河道水位 {stage} m，单宽渗流量 {discharge} m³/s</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="261" />
        <source>OK</source>
        <translation>满足</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="261" />
        <source>Fails</source>
        <translation>不满足</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="295" />
        <source>measured</source>
        <translation>实测</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="295" />
        <source>predicted</source>
        <translation>计算</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="296" />
        <source>flagged</source>
        <translation>已标记</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="297" />
        <source>Head (m) at {piezometer}</source>
        <translation>{piezometer} 水头（m）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="326" />
        <source>Open a scene first</source>
        <translation>请先打开场景</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="342" />
        <source>Seepage section</source>
        <translation>渗流断面</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="343" />
        <location filename="../../twin_app/qt/section_dock.py" line="360" />
        <source>Check</source>
        <translation>校核</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="344" />
        <source>Run the section on the stored tide and piezometers; failed checks go to the alarm list</source>
        <translation>用已存储的潮位和测压管数据计算断面；不满足的校核项进入报警列表</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="349" />
        <source>Total head</source>
        <translation>总水头</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="349" />
        <source>Pore pressure</source>
        <translation>孔隙水压力</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="352" />
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="353" />
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="354" />
        <source>Show in 3D</source>
        <translation>在三维中显示</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="355" />
        <source>Show evidence</source>
        <translation>查看证据</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="356" />
        <source>Checks</source>
        <translation>校核项</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="356" />
        <source>Piezometers</source>
        <translation>测压管</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="357" />
        <source>Leak flags</source>
        <translation>渗漏标记</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="357" />
        <source>Evidence</source>
        <translation>证据</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="360" />
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="360" />
        <source>Limit</source>
        <translation>限值</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="360" />
        <source>Safety factor</source>
        <translation>安全系数</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="361" />
        <source>Required</source>
        <translation>要求值</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="361" />
        <source>Result</source>
        <translation>结论</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="363" />
        <location filename="../../twin_app/qt/section_dock.py" line="366" />
        <source>Piezometer</source>
        <translation>测压管</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="363" />
        <source>x / z (m)</source>
        <translation>x / z（m）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="363" />
        <source>Predicted (m)</source>
        <translation>计算值（m）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="364" />
        <source>Measured (m)</source>
        <translation>实测值（m）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="364" />
        <source>Difference (m)</source>
        <translation>差值（m）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="366" />
        <source>From</source>
        <translation>起始</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="366" />
        <source>Largest excess (m)</source>
        <translation>最大超出（m）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="367" />
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="368" />
        <source>Elevation (m)</source>
        <translation>高程（m）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="369" />
        <source>Distance from the river end (m)</source>
        <translation>距临水侧距离（m）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="370" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="373" />
        <source>{section}: {failed} check(s) failed, {leaks} leak flag(s)</source>
        <translation>{section}：{failed} 项校核不满足，{leaks} 处渗漏标记</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/section_dock.py" line="377" />
        <source>This scene has no seepage sections</source>
        <translation>该场景没有渗流断面</translation>
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
        <location filename="../../twin_app/qt/wall/views.py" line="146" />
        <source>Whole scene</source>
        <translation>全场景</translation>
    </message>
</context>
<context>
    <name>WallWindow</name>
    <message>
        <location filename="../../twin_app/qt/wall/window.py" line="151" />
        <source>Flood command centre wall</source>
        <translation>防汛指挥中心大屏</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/window.py" line="193" />
        <source>Scene not opened: {reason}</source>
        <translation>场景未能打开：{reason}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/wall/window.py" line="212" />
        <source>The tour's viewpoints {ids} are not in this scene</source>
        <translation>巡视视点 {ids} 不在本场景中</translation>
    </message>
</context>
<context>
    <name>self.window</name>
    <message>
        <location filename="../../twin_app/qt/scene_panels.py" line="157" />
        <source>P(depth &gt; {threshold} m)</source>
        <translation>P(水深 &gt; {threshold} m)</translation>
    </message>
</context>
</TS>
